// The dashboard: polls /api/dashboard, keeps the last few minutes in memory and draws line
// charts on <canvas>. No libraries: the page must work with no network but the demo itself.
'use strict';

(() => {
  const POLL_MS = 1000;
  const KEEP = 180; // samples kept, three minutes at one per second
  const COLORS = ['#7aa7ff', '#3ecf8e', '#f5b942', '#ef5d6a', '#c17bff', '#4fd1e8'];

  const history = { times: [], caches: {}, sessions: [], rejections: [] };
  let previous = null;
  let samples = 0;

  // ---------------------------------------------------------------- charts

  class LineChart {
    constructor(canvas, options) {
      this.canvas = canvas;
      this.options = options;
    }

    draw(times, series) {
      const canvas = this.canvas;
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
      if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
      const g = canvas.getContext('2d');
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);

      const pad = { left: 52, right: 12, top: 26, bottom: 22 };
      const plotW = width - pad.left - pad.right;
      const plotH = height - pad.top - pad.bottom;
      const [lo, hi] = this.range(series);
      const y = (v) => pad.top + plotH - ((v - lo) / (hi - lo)) * plotH;
      // The newest sample sits at the right edge; older ones move left, one slot per poll.
      const x = (i) => pad.left + ((KEEP - times.length + i) / (KEEP - 1)) * plotW;

      g.font = '11px system-ui, sans-serif';
      g.textBaseline = 'middle';
      g.lineWidth = 1;
      for (let t = 0; t <= 4; t++) {
        const value = lo + ((hi - lo) * t) / 4;
        const py = Math.round(y(value)) + 0.5;
        g.strokeStyle = '#263047';
        g.beginPath();
        g.moveTo(pad.left, py);
        g.lineTo(width - pad.right, py);
        g.stroke();
        g.fillStyle = '#8b95ab';
        g.textAlign = 'right';
        g.fillText(this.options.format(value), pad.left - 8, py);
      }
      g.textAlign = 'center';
      g.textBaseline = 'top';
      const seconds = (KEEP - 1) * POLL_MS / 1000;
      for (let t = 0; t <= 3; t++) {
        const ago = Math.round(seconds - (seconds * t) / 3);
        g.fillText(ago === 0 ? 'now' : `-${ago}s`, pad.left + (plotW * t) / 3, height - pad.bottom + 6);
      }

      if (times.length === 0) {
        g.textAlign = 'center';
        g.textBaseline = 'middle';
        g.fillText('waiting for data…', pad.left + plotW / 2, pad.top + plotH / 2);
      }

      series.forEach((s) => {
        g.strokeStyle = s.color;
        g.lineWidth = 2;
        g.beginPath();
        let drawing = false;
        const lonely = [];
        s.values.forEach((v, i) => {
          if (!present(v)) {
            drawing = false;
            return;
          }
          const px = x(i);
          const py = y(Math.min(hi, Math.max(lo, v)));
          if (drawing) g.lineTo(px, py); else g.moveTo(px, py);
          if (!present(s.values[i - 1]) && !present(s.values[i + 1])) lonely.push([px, py]);
          drawing = true;
        });
        g.stroke();
        // A sample with no neighbour draws no line: show it as a dot.
        g.fillStyle = s.color;
        lonely.forEach(([px, py]) => {
          g.beginPath();
          g.arc(px, py, 2, 0, Math.PI * 2);
          g.fill();
        });
        const at = lastIndex(s.values);
        if (at >= 0) {
          g.fillStyle = s.color;
          g.beginPath();
          g.arc(x(at), y(Math.min(hi, Math.max(lo, s.values[at]))), 3, 0, Math.PI * 2);
          g.fill();
        }
      });

      // Legend, top right: name and latest value of each series.
      g.textBaseline = 'middle';
      g.textAlign = 'left';
      let lx = width - pad.right;
      [...series].reverse().forEach((s) => {
        const at = lastIndex(s.values);
        const label = `${s.name} ${at < 0 ? '–' : this.options.format(s.values[at])}`;
        const w = g.measureText(label).width;
        lx -= w + 22;
        g.fillStyle = s.color;
        g.fillRect(lx, 9, 10, 10);
        g.fillStyle = '#e6e9f0';
        g.fillText(label, lx + 14, 14);
      });
      canvas.dataset.points = String(times.length);
    }

    range(series) {
      if (this.options.min !== undefined && this.options.max !== undefined) {
        return [this.options.min, this.options.max];
      }
      let hi = 0;
      series.forEach((s) => s.values.forEach((v) => {
        if (v !== null && !Number.isNaN(v) && v > hi) hi = v;
      }));
      // Four grid steps of a round size: 1, 2 or 5 times a power of ten (whole for counts).
      let step = niceStep(Math.max(hi * 1.1, this.options.floor || 1) / 4);
      if (this.options.integer) step = Math.max(1, Math.round(step));
      return [0, step * 4];
    }
  }

  function present(v) {
    return v !== null && v !== undefined && !Number.isNaN(v);
  }

  function lastIndex(values) {
    for (let i = values.length - 1; i >= 0; i--) {
      if (present(values[i])) return i;
    }
    return -1;
  }

  function niceStep(value) {
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const scaled = value / magnitude;
    return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 2.5 ? 2.5 : scaled <= 5 ? 5 : 10) * magnitude;
  }

  const percent = (v) => {
    const p = v * 100;
    return `${Math.abs(p - Math.round(p)) < 0.05 ? Math.round(p) : p.toFixed(1)}%`;
  };
  const millis = (v) => (v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
  const whole = (v) => (Math.abs(v - Math.round(v)) < 1e-9 ? String(Math.round(v)) : v.toFixed(1));

  const charts = {
    hitRate: new LineChart(document.getElementById('chart-hit-rate'), { min: 0, max: 1, format: percent }),
    latency: new LineChart(document.getElementById('chart-latency'), { format: millis, floor: 1 }),
    sessions: new LineChart(document.getElementById('chart-sessions'), { format: whole, floor: 4, integer: true }),
    rejections: new LineChart(document.getElementById('chart-rejections'), { format: whole, floor: 4, integer: true }),
  };

  // ---------------------------------------------------------------- data

  function record(data) {
    history.times.push(Date.parse(data.timestamp));
    const names = Object.keys(data.caches);
    names.forEach((name) => {
      if (!history.caches[name]) {
        history.caches[name] = {
          hitRate: history.times.slice(1).map(() => null),
          latency: history.times.slice(1).map(() => null),
        };
      }
      const now = data.caches[name];
      const before = previous && previous.caches[name];
      const reads = before ? now.reads - before.reads : 0;
      const time = before ? now.read_time_ms - before.read_time_ms : 0;
      history.caches[name].hitRate.push(now.hits + now.misses > 0 ? now.hit_rate : null);
      history.caches[name].latency.push(reads > 0 ? time / reads : null);
    });
    history.sessions.push(data.sessions.active);
    history.rejections.push(data.rate_limit.rejections);
    if (history.times.length > KEEP) {
      history.times.shift();
      history.sessions.shift();
      history.rejections.shift();
      Object.values(history.caches).forEach((c) => { c.hitRate.shift(); c.latency.shift(); });
    }
    previous = data;
    samples += 1;
  }

  function cacheSeries(metric, onlyReadCaches) {
    return Object.keys(history.caches)
      .filter((name) => !onlyReadCaches || (previous && previous.caches[name] && previous.caches[name].reads > 0))
      .map((name) => ({ name, color: colorOf(name), values: history.caches[name][metric] }));
  }

  function colorOf(name) {
    return COLORS[Object.keys(history.caches).indexOf(name) % COLORS.length];
  }

  function setValue(id, value, text) {
    const element = document.getElementById(id);
    element.dataset.value = String(value);
    element.textContent = text === undefined ? String(value) : text;
  }

  function render() {
    const data = previous;
    charts.hitRate.draw(history.times, cacheSeries('hitRate', false));
    charts.latency.draw(history.times, cacheSeries('latency', true));
    charts.sessions.draw(history.times, [{ name: 'active', color: COLORS[0], values: history.sessions }]);
    charts.rejections.draw(history.times, [{ name: 'rejected', color: COLORS[3], values: history.rejections }]);

    setValue('sessions-active', data.sessions.active);
    document.getElementById('sessions-detail').textContent =
      `${data.sessions.created} created · ${data.sessions.destroyed} ended`;
    setValue('rejections', data.rate_limit.rejections);
    setValue('requests', data.requests.count);
    document.getElementById('requests-detail').textContent = data.requests.count > 0
      ? `mean ${millis(data.requests.time_ms / data.requests.count)} ms` : 'none yet';
    let reads = 0;
    let readTime = 0;
    Object.values(data.caches).forEach((c) => { reads += c.reads; readTime += c.read_time_ms; });
    setValue('reads', reads);
    document.getElementById('reads-detail').textContent = reads > 0
      ? `mean ${millis(readTime / reads)} ms` : 'none yet';

    const body = document.querySelector('#caches tbody');
    body.replaceChildren(...Object.entries(data.caches).map(([name, c]) => {
      const row = document.createElement('tr');
      row.id = `cache-${name}`;
      row.dataset.hits = String(c.hits);
      row.dataset.misses = String(c.misses);
      const cells = [
        name, c.hits, c.misses, c.hits + c.misses > 0 ? percent(c.hit_rate) : '–',
        c.load_successes + c.load_failures, `${millis(c.average_load_time_ms)} ms`, c.errors,
        c.size < 0 ? 'n/a' : c.size,
      ];
      cells.forEach((value, i) => {
        const cell = document.createElement('td');
        if (i === 0) {
          const swatch = document.createElement('span');
          swatch.className = 'swatch';
          swatch.style.background = colorOf(name);
          cell.append(swatch);
        }
        cell.append(String(value));
        row.append(cell);
      });
      return row;
    }));
    document.getElementById('updated').textContent =
      `updated ${new Date(data.timestamp).toLocaleTimeString()}`;
    window.hoardDashboard = { samples, last: data };
  }

  async function poll() {
    try {
      const response = await fetch('/api/dashboard', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      record(await response.json());
      render();
    } catch (e) {
      showHealth('offline', 'offline');
    }
  }

  async function pollHealth() {
    try {
      const response = await fetch('/health', { cache: 'no-store' });
      const body = await response.json();
      showHealth(body.status, `${body.status} · cache ${body.cache} · database ${body.database}`);
    } catch (e) {
      showHealth('offline', 'offline');
    }
  }

  function showHealth(state, text) {
    const pill = document.getElementById('health');
    pill.dataset.state = state;
    pill.textContent = text;
  }

  window.addEventListener('resize', () => { if (previous) render(); });
  poll();
  pollHealth();
  setInterval(poll, POLL_MS);
  setInterval(pollHealth, POLL_MS * 5);
})();
