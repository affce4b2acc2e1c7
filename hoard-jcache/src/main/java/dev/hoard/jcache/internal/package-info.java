/** The JCache provider's implementation; not for use outside {@code hoard-jcache}. */
package dev.hoard.jcache.internal;
