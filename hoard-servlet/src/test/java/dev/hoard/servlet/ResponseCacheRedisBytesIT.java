package dev.hoard.servlet;

/** {@link ResponseCacheRedisIT} with the raw {@code bytes} codec instead of JSON. */
class ResponseCacheRedisBytesIT extends ResponseCacheRedisIT {

  @Override
  String codecParameter() {
    return "&codec=bytes";
  }
}
