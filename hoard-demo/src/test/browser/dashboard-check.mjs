// Loads the demo's dashboard in headless Chromium and checks that it draws live data.
//
//   node dashboard-check.mjs <dashboard URL> <screenshot file>
//
// Protocol with the JUnit test that runs it (DashboardBrowserTest), one line each on stdout:
//   READY {...}   the page has drawn its first polls; the numbers it shows now follow
//   RESULT {...}  what changed after the test made requests, and any console errors
// Exit status 0 when the charts moved and the console stayed clean, 1 otherwise.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node dashboard-check.mjs <dashboard URL> <screenshot file>');
  process.exit(2);
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT_MS = Number(process.env.DASHBOARD_WAIT_MS || 60000);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

const problems = [];
let exitCode = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.hoardDashboard && window.hoardDashboard.samples >= 2,
    null, { timeout: WAIT_MS });

  const read = () => page.evaluate(() => {
    const number = (id) => Number(document.getElementById(id).dataset.value);
    const row = document.getElementById('cache-tasks');
    const canvas = (id) => document.getElementById(id);
    return {
      samples: window.hoardDashboard.samples,
      taskHits: row ? Number(row.dataset.hits) : 0,
      sessions: number('sessions-active'),
      rejections: number('rejections'),
      requests: number('requests'),
      points: Number(canvas('chart-hit-rate').dataset.points),
      hitRateChart: canvas('chart-hit-rate').toDataURL(),
      latencyChart: canvas('chart-latency').toDataURL(),
      sessionsChart: canvas('chart-sessions').toDataURL(),
      rejectionsChart: canvas('chart-rejections').toDataURL(),
      health: document.getElementById('health').dataset.state,
    };
  });

  const before = await read();
  const brief = ({ hitRateChart, latencyChart, sessionsChart, rejectionsChart, ...numbers }) => numbers;
  console.log(`READY ${JSON.stringify(brief(before))}`);

  // The test now logs in, reads tasks and fails logins; wait until the page shows all of it.
  await page.waitForFunction((start) => {
    const row = document.getElementById('cache-tasks');
    const number = (id) => Number(document.getElementById(id).dataset.value);
    return row && Number(row.dataset.hits) > start.taskHits
      && number('sessions-active') > start.sessions
      && number('rejections') > start.rejections;
  }, brief(before), { timeout: WAIT_MS });
  // Two more polls, so the latency chart has a difference to draw.
  await page.waitForFunction((samples) => window.hoardDashboard.samples >= samples + 2,
    (await read()).samples, { timeout: WAIT_MS });

  const after = await read();
  const changed = {
    hitRateChart: after.hitRateChart !== before.hitRateChart,
    latencyChart: after.latencyChart !== before.latencyChart,
    sessionsChart: after.sessionsChart !== before.sessionsChart,
    rejectionsChart: after.rejectionsChart !== before.rejectionsChart,
  };
  for (const [chart, moved] of Object.entries(changed)) {
    if (!moved) problems.push(`${chart} did not change after the requests`);
  }
  if (after.health !== 'ok') problems.push(`health pill shows '${after.health}', not 'ok'`);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`RESULT ${JSON.stringify({ before: brief(before), after: brief(after), changed, problems })}`);
  exitCode = problems.length === 0 ? 0 : 1;
} catch (error) {
  console.log(`RESULT ${JSON.stringify({ problems: [...problems, `failed: ${error.message}`] })}`);
} finally {
  await browser.close();
}
process.exit(exitCode);
