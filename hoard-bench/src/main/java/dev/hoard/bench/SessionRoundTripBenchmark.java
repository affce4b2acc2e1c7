package dev.hoard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One request's worth of session work — load the session, change one attribute, save — through
 * Hoard's {@link SessionManager} and through Spring Session's own repositories, on the same Redis
 * (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, database {@code hoard_bench}, created if
 * missing) in one run. Each session starts with the same five attributes; Spring Session uses its
 * defaults ({@link RedisSessionRepository}, the repository {@code @EnableRedisHttpSession} sets
 * up, with JDK serialization; {@link JdbcIndexedSessionRepository} with its PostgreSQL schema), and
 * is told the access time the way its servlet filter does. Hoard uses its JSON codec.
 *
 * <p>Run it (both servers up, e.g. with {@code scripts/services}):
 *
 * <pre>
 * ./mvnw -B -pl hoard-bench -am package -DskipTests
 * java -jar hoard-bench/target/benchmarks.jar SessionRoundTripBenchmark -f 2 -wi 3 -i 5
 * java -jar hoard-bench/target/benchmarks.jar SessionRoundTripBenchmark -f 2 -wi 3 -i 5 -bm sample -tu us
 * </pre>
 *
 * <p>Measured 2026-12-01 on the 2-core development machine while other benchmarks ran beside it
 * (load average 14 to 19, so single iterations swing several-fold; compare within one run):
 *
 * <table>
 *   <caption>Hoard over Spring Session 3.5.7, one round trip</caption>
 *   <tr><th>run</th><th>Redis</th><th>PostgreSQL</th></tr>
 *   <tr><td>throughput (ops/s, mean of 10)</td><td>1303 vs 947: 1.38×</td>
 *       <td>179 vs 127: 1.41×</td></tr>
 *   <tr><td>sample, median latency</td><td>408 µs vs 964 µs: 2.36×</td>
 *       <td>4.33 ms vs 10.73 ms: 2.48×</td></tr>
 *   <tr><td>sample, mean latency</td><td>1.39 ms vs 3.29 ms: 2.37×</td>
 *       <td>7.46 ms vs 20.08 ms: 2.69×</td></tr>
 * </table>
 *
 * <p>Where it comes from: on Redis a Hoard round trip is {@code HGETALL} plus one {@code EVALSHA},
 * where Spring Session sends {@code HGETALL}, {@code HMSET} and {@code PEXPIRE}; Hoard decodes an
 * attribute only when it is read (this request reads none), Spring Session deserializes all five
 * on load; on PostgreSQL Hoard reads with one
 * autocommit {@code SELECT} and writes the delta as one statement (one commit), where Spring
 * Session runs a read transaction and a write transaction of two {@code UPDATE}s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SessionRoundTripBenchmark {

  /** Tables of this run only, dropped after it: a run never touches another's data. */
  private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String HOARD_TABLE = "hoard_bench_sessions_" + RUN;
  private static final String SPRING_TABLE = "hoard_bench_spring_" + RUN;

  /** What every benchmarked session holds before the first request. */
  static Map<String, Object> initialAttributes() {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("userName", "ada");
    attributes.put("locale", "en-GB");
    attributes.put("roles", new ArrayList<>(List.of("user", "editor")));
    HashMap<String, Integer> cart = new HashMap<>();
    cart.put("sku-1", 2);
    cart.put("sku-7", 1);
    attributes.put("cart", cart);
    attributes.put("counter", 0);
    return attributes;
  }

  /** A Hoard session manager on a URL with one session in it. */
  public abstract static class HoardState {
    SessionManager manager;
    String token;
    int counter;

    abstract String url();

    @Setup(Level.Trial)
    public void open() {
      manager = Sessions.open(url());
      Session session = manager.create(ClientInfo.UNKNOWN);
      initialAttributes().forEach(session::put);
      token = manager.save(session);
    }

    @TearDown(Level.Trial)
    public void close() {
      manager.open(token, ClientInfo.UNKNOWN).invalidate();
      manager.close();
    }
  }

  /** Hoard on Redis. */
  @State(Scope.Benchmark)
  public static class HoardRedis extends HoardState {
    @Override
    String url() {
      return BenchServers.redis("prefix=" + BenchServers.PREFIX + RUN + ":session:"
          + "&purgeInterval=off");
    }
  }

  /** Hoard on PostgreSQL. */
  @State(Scope.Benchmark)
  public static class HoardPostgres extends HoardState {
    @Override
    String url() {
      String url = BenchServers.postgres();
      return url + (url.contains("?") ? "&" : "?") + "table=" + HOARD_TABLE + "&purgeInterval=off";
    }

    @Override
    public void close() {
      super.close();
      dropTables(HOARD_TABLE);
    }
  }

  /** Spring Session's Redis repository. */
  @State(Scope.Benchmark)
  public static class SpringRedis {
    LettuceConnectionFactory connections;
    RedisSessionRepository repository;
    String id;
    int counter;

    @Setup(Level.Trial)
    public void open() {
      connections = new LettuceConnectionFactory(
          new RedisStandaloneConfiguration(BenchServers.redisHost(), BenchServers.redisPort()));
      connections.afterPropertiesSet();
      connections.start();
      // As Spring Session's own configuration builds it: string keys, JDK-serialized values.
      RedisTemplate<String, Object> template = new RedisTemplate<>();
      template.setConnectionFactory(connections);
      template.setKeySerializer(RedisSerializer.string());
      template.setHashKeySerializer(RedisSerializer.string());
      template.afterPropertiesSet();
      repository = new RedisSessionRepository(template);
      repository.setRedisKeyNamespace(BenchServers.PREFIX + RUN + ":spring-session");
      id = createSpringSession(repository);
    }

    @TearDown(Level.Trial)
    public void close() {
      repository.deleteById(id);
      connections.destroy();
    }
  }

  /** Spring Session's JDBC repository on PostgreSQL. */
  @State(Scope.Benchmark)
  public static class SpringPostgres {
    HikariDataSource pool;
    JdbcIndexedSessionRepository repository;
    String id;
    int counter;

    @Setup(Level.Trial)
    public void open() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(BenchServers.postgres());
      config.setMaximumPoolSize(10);
      pool = new HikariDataSource(config);
      createSpringTables(pool);
      JdbcTemplate jdbc = new JdbcTemplate(pool);
      TransactionTemplate transactions =
          new TransactionTemplate(new DataSourceTransactionManager(pool));
      repository = new JdbcIndexedSessionRepository(jdbc, transactions);
      repository.setTableName(SPRING_TABLE);
      id = createSpringSession(repository);
    }

    @TearDown(Level.Trial)
    public void close() {
      repository.deleteById(id);
      pool.close();
      dropTables(SPRING_TABLE + "_attributes", SPRING_TABLE);
    }
  }

  @Benchmark
  public String hoardRedis(HoardRedis state) {
    return roundTrip(state);
  }

  @Benchmark
  public String springSessionRedis(SpringRedis state) {
    return springRoundTrip(state.repository, state.id, ++state.counter);
  }

  @Benchmark
  public String hoardPostgres(HoardPostgres state) {
    return roundTrip(state);
  }

  @Benchmark
  public String springSessionPostgres(SpringPostgres state) {
    return springRoundTrip(state.repository, state.id, ++state.counter);
  }

  private static <S extends org.springframework.session.Session> String createSpringSession(
      SessionRepository<S> repository) {
    S session = repository.createSession();
    initialAttributes().forEach(session::setAttribute);
    repository.save(session);
    return session.getId();
  }

  /** What Spring's SessionRepositoryFilter and the application do in one request. */
  private static <S extends org.springframework.session.Session> String springRoundTrip(
      SessionRepository<S> repository, String id, int counter) {
    S session = repository.findById(id);
    session.setLastAccessedTime(Instant.now());
    session.setAttribute("counter", counter);
    repository.save(session);
    return session.getId();
  }

  private static String roundTrip(HoardState state) {
    Session session = state.manager.open(state.token, ClientInfo.UNKNOWN);
    if (session.isNew()) {
      throw new IllegalStateException("the benchmark session was lost");
    }
    session.put("counter", ++state.counter);
    return state.manager.save(session);
  }


  private static void dropTables(String... tables) {
    try (Connection connection = DriverManager.getConnection(BenchServers.postgres());
        Statement statement = connection.createStatement()) {
      for (String table : tables) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the benchmark's tables " + List.of(tables), e);
    }
  }

  /** Spring Session's own PostgreSQL schema, under this benchmark's table name. */
  private static void createSpringTables(HikariDataSource pool) {
    String schema;
    try (InputStream in = JdbcIndexedSessionRepository.class
        .getResourceAsStream("schema-postgresql.sql")) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + SPRING_TABLE + "_attributes");
      statement.execute("DROP TABLE IF EXISTS " + SPRING_TABLE);
      for (String ddl : schema.replace("SPRING_SESSION", SPRING_TABLE.toUpperCase()).split(";")) {
        if (!ddl.isBlank()) {
          statement.execute(ddl);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create Spring Session's tables", e);
    }
  }
}
