/**
 * The machinery behind {@link dev.hoard.servlet.ResponseCacheFilter}, split as OkHttp splits its
 * cache: RFC 9111 rules ({@link dev.hoard.servlet.internal.cache.CachePolicy}) and the pure
 * decision per request ({@link dev.hoard.servlet.internal.cache.CacheStrategy}), storage of
 * responses, variants and tags ({@link dev.hoard.servlet.internal.cache.ResponseStore}), the trip
 * to the origin and what comes of it ({@link dev.hoard.servlet.internal.cache.OriginFetch}),
 * request coalescing, replay, the stored form, cache keys and the request and response wrappers.
 * Internal: not part of the API, may change without notice.
 */
package dev.hoard.servlet.internal.cache;
