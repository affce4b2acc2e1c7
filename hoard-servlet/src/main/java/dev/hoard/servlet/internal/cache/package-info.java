/**
 * The machinery behind {@link dev.hoard.servlet.ResponseCacheFilter}: RFC 9111 rules, the stored
 * form, cache keys and the request and response wrappers. Internal: not part of the API, may
 * change without notice.
 */
package dev.hoard.servlet.internal.cache;
