package dev.hoard.bench;

/** Where the Redis benchmarks connect: {@code -Dhoard.bench.redis=redis://host:port/db}. */
final class BenchRedis {

  /** The server every Redis benchmark in one run uses; 127.0.0.1:6379 database 0 unless set. */
  static final String URL = System.getProperty("hoard.bench.redis", "redis://127.0.0.1:6379/0");

  /** Every benchmark key starts with this, so a run never touches anyone else's keys. */
  static final String PREFIX = "hoard-bench:";

  private BenchRedis() {}

  /** {@link #URL} with extra parameters, e.g. {@code prefix=…}. */
  static String url(String parameters) {
    return URL + (URL.contains("?") ? "&" : "?") + parameters;
  }
}
