package dev.hoard.servlet;

/** {@link ResponseCacheRedisTest} with the raw {@code bytes} codec instead of JSON. */
class ResponseCacheRedisBytesTest extends ResponseCacheRedisTest {

  @Override
  String codecParameter() {
    return "&codec=bytes";
  }
}
