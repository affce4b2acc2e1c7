package dev.hoard.jcache.internal;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's {@code CacheConfiguration} and {@code CacheStatistics} MXBeans with the
 * platform MBean server under the names JSR-107 prescribes.
 */
final class ManagementBeans {

  private ManagementBeans() {}

  static void register(Object bean, String type, String managerUri, String cacheName) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(type, managerUri, cacheName);
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // Registered by a concurrent call for the same cache: the bean there is equivalent.
    } catch (Exception e) {
      throw new CacheException("cannot register the MBean " + name, e);
    }
  }

  static void unregister(String type, String managerUri, String cacheName) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(type, managerUri, cacheName);
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // Never registered, or already gone: nothing to do.
    } catch (Exception e) {
      throw new CacheException("cannot unregister the MBean " + name, e);
    }
  }

  private static ObjectName name(String type, String managerUri, String cacheName) {
    try {
      return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + safe(managerUri)
          + ",Cache=" + safe(cacheName));
    } catch (MalformedObjectNameException e) {
      throw new CacheException("cannot name the MBean of cache " + cacheName, e);
    }
  }

  /**
   * Characters that would end a key property of an {@link ObjectName}, or make it a pattern,
   * become dots (the TCK names beans the same way).
   */
  private static String safe(String text) {
    return text == null ? "" : text.replaceAll("[,:=\n?*]", ".");
  }
}
