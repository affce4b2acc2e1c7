/**
 * A JSR-107 (JCache) provider over any Hoard store: the URI of a {@code CacheManager} is a Hoard
 * store URL such as {@code memory://?maximumSize=10000} or {@code redis://host:6379/0}.
 */
package dev.hoard.jcache;
