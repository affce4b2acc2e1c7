package dev.hoard.spring.boot.autoconfigure;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.codec.Codecs;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.ratelimit.RateLimiterBuilder;
import dev.hoard.servlet.RateLimitFilter;
import dev.hoard.servlet.ResponseCacheFilter;
import dev.hoard.servlet.SessionFilter;
import dev.hoard.metrics.CacheMetrics;
import dev.hoard.session.SessionListener;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import dev.hoard.session.metrics.SessionMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot auto-configuration of Hoard from the {@code hoard.*} properties ({@link
 * HoardProperties}): a {@link HoardCacheManager} for {@code @Cacheable}, Hoard sessions behind
 * {@code HttpSession} ahead of Spring Security, {@link RateLimitFilter} and {@link
 * ResponseCacheFilter}, and Actuator health per store.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@EnableConfigurationProperties(HoardProperties.class)
public class HoardAutoConfiguration {

  private static final String SPRING_SECURITY =
      "org.springframework.security.core.context.SecurityContext";

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  HoardStores hoardStores(HoardProperties properties, Environment environment) {
    String url = properties.getCache().getUrl();
    if (url == null || url.isBlank()) {
      url = environment.getProperty(Caches.URL_VARIABLE, "memory:");
    }
    return new HoardStores(url);
  }

  @Bean
  @ConditionalOnMissingBean(CacheManager.class)
  @ConditionalOnProperty(prefix = "hoard.cache", name = "enabled", matchIfMissing = true)
  HoardCacheManager cacheManager(HoardStores stores, HoardProperties properties,
      BeanFactory beanFactory, ResourceLoader resources) {
    HoardProperties.CacheProperties cache = properties.getCache();
    List<String> packages = new ArrayList<>(cache.getValuePackages());
    if (AutoConfigurationPackages.has(beanFactory)) {
      packages.addAll(AutoConfigurationPackages.get(beanFactory));
    }
    HoardCacheManager.Builder builder = HoardCacheManager.builder(stores.defaultCache())
        .allowNullValues(cache.isAllowNullValues())
        .valuePackages(packages)
        .classLoader(resources.getClassLoader());
    if (cache.getTtl() != null) {
      builder.ttl(cache.getTtl());
    }
    if (!cache.isDynamic()) {
      builder.fixedCacheNames();
    }
    cache.getCaches().forEach((name, settings) -> builder.cache(
        name, settings.getUrl() == null ? null : stores.cache(settings.getUrl(), name),
        settings.getTtl()));
    return builder.build();
  }

  /** Sessions, when {@code hoard.session.url} names a store. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "hoard.session", name = "url")
  static class SessionConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SessionManager hoardSessionManager(HoardProperties properties, ResourceLoader resources,
        ObjectProvider<SessionListener> listeners) {
      HoardProperties.SessionProperties session = properties.getSession();
      boolean springSecurity = ClassUtils.isPresent(SPRING_SECURITY, resources.getClassLoader());
      if (session.getSigningKey() == null) {
        if (springSecurity) {
          throw new IllegalStateException("hoard.session.url is set and Spring Security is on the"
              + " classpath, but hoard.session.signing-key is not: without it session attributes"
              + " are JSON and Spring Security's SecurityContext would not come back as itself."
              + " Set hoard.session.signing-key to a base64 secret of at least 32 bytes, the same"
              + " on every node (e.g. openssl rand -base64 32)");
        }
        return Sessions.open(session.getUrl(), Clock.systemUTC(),
            builder -> listeners.orderedStream().forEach(builder::listener));
      }
      List<String> classes = new ArrayList<>(session.getSerializedClasses());
      if (springSecurity) {
        classes.add("org.springframework.security.**");
      }
      byte[] key = decodeKey(session.getSigningKey());
      return Sessions.open(session.getUrl(), Clock.systemUTC(), builder -> {
        builder.codec(Codecs.signedJava(key, classes));
        listeners.orderedStream().forEach(builder::listener);
      });
    }

    private static byte[] decodeKey(String base64) {
      try {
        return Base64.getDecoder().decode(base64.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "hoard.session.signing-key must be base64 (e.g. openssl rand -base64 32): "
                + e.getMessage(), e);
      }
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<SessionFilter> hoardSessionFilter(
        SessionManager sessions, HoardProperties properties) {
      HoardProperties.SessionProperties session = properties.getSession();
      HoardProperties.Cookie cookie = session.getCookie();
      SessionFilter.Builder builder = SessionFilter.builder(sessions)
          .cookieName(cookie.getName())
          .sameSite(cookie.getSameSite());
      if (cookie.getPath() != null) {
        builder.cookiePath(cookie.getPath());
      }
      if (cookie.getDomain() != null) {
        builder.cookieDomain(cookie.getDomain());
      }
      if (cookie.isSecure()) {
        builder.secureCookie();
      }
      if (cookie.getMaxAge() != null) {
        builder.cookieMaxAge(cookie.getMaxAge());
      }
      if (!session.isCsrf()) {
        builder.withoutCsrfCheck();
      }
      session.getExcludePaths().forEach(builder::exclude);
      FilterRegistrationBean<SessionFilter> registration =
          new FilterRegistrationBean<>(builder.build());
      registration.setName("hoardSessionFilter");
      registration.setOrder(session.getFilterOrder());
      return registration;
    }
  }

  /** Rate limits, when {@code hoard.rate-limit.routes} lists one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @Conditional(PropertiesPresent.RateLimitRoutes.class)
  static class RateLimitConfiguration {

    @Bean(destroyMethod = "close")
    RateLimitStore hoardRateLimitStore(HoardProperties properties, HoardStores stores) {
      String url = properties.getRateLimit().getUrl();
      return new RateLimitStore(Caches.openStoreConnectingInBackground(
          url == null || url.isBlank() ? stores.defaultUrl() : url, Clock.systemUTC(),
          ReservedKeySpace.RATE_LIMITS));
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> hoardRateLimitFilter(
        HoardProperties properties, RateLimitStore store) {
      RateLimitFilter.Builder builder = RateLimitFilter.builder();
      Map<String, HoardProperties.Route> routes =
          new LinkedHashMap<>(properties.getRateLimit().getRoutes());
      routes.forEach((name, route) -> {
        if (route.getPath() == null || route.getLimit() <= 0) {
          throw new IllegalArgumentException("hoard.rate-limit.routes." + name
              + " needs a path and a positive limit, e.g. path=/login, limit=5, per=1m");
        }
        RateLimiterBuilder limiter = RateLimiter.builder(store.store())
            .name(name)
            .limit(route.getLimit())
            .per(route.getPer())
            .algorithm(route.getAlgorithm());
        if (route.getBurst() != null) {
          limiter.burst(route.getBurst());
        }
        builder.route(route.getPath(), limiter.build());
      });
      FilterRegistrationBean<RateLimitFilter> registration =
          new FilterRegistrationBean<>(builder.build());
      registration.setName("hoardRateLimitFilter");
      registration.setOrder(properties.getRateLimit().getFilterOrder());
      return registration;
    }
  }

  /** The store of the rate-limit counters, closed with the context. */
  record RateLimitStore(CacheStore store) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  /** The HTTP response cache, when {@code hoard.response-cache.paths} lists a path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @Conditional(PropertiesPresent.ResponseCachePaths.class)
  static class ResponseCacheConfiguration {

    @Bean
    FilterRegistrationBean<ResponseCacheFilter> hoardResponseCacheFilter(
        HoardProperties properties, HoardStores stores) {
      HoardProperties.ResponseCacheProperties responses = properties.getResponseCache();
      ResponseCacheFilter.Builder builder = ResponseCacheFilter.builder(
          stores.cache(responses.getUrl(), "responses").scoped("response-cache", "responses"));
      if (responses.getDefaultTtl() != null) {
        builder.defaultTtl(responses.getDefaultTtl());
      }
      if (!responses.getExcludePaths().isEmpty()) {
        builder.excludePaths(responses.getExcludePaths().toArray(String[]::new));
      }
      FilterRegistrationBean<ResponseCacheFilter> registration =
          new FilterRegistrationBean<>(builder.build());
      registration.setName("hoardResponseCacheFilter");
      registration.setUrlPatterns(responses.getPaths());
      registration.setOrder(responses.getFilterOrder());
      return registration;
    }
  }

  /**
   * Micrometer: the library's own binders, one per cache store (tagged with its label) and one for
   * the sessions; Spring Boot binds every {@link MeterBinder} bean to its registry.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "hoardCacheMetrics")
    MeterBinder hoardCacheMetrics(HoardStores stores, ObjectProvider<CacheManager> caches) {
      return registry -> {
        // The cache manager opens the stores its caches name; metrics follow what it opened.
        caches.ifAvailable(CacheManager::getCacheNames);
        stores.opened().forEach((label, cache) ->
            new CacheMetrics(cache, label, Tags.empty()).bindTo(registry));
      };
    }

    /** A listener of the session manager as well as a binder, so it counts from the start. */
    @Bean
    @ConditionalOnProperty(prefix = "hoard.session", name = "url")
    @ConditionalOnMissingBean
    SessionMetrics hoardSessionMetrics() {
      return new SessionMetrics(Tags.empty());
    }
  }

  /** Actuator health: one indicator per cache store and one for the session store. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "hoardHealthContributor")
    HealthContributor hoardHealthContributor(
        HoardStores stores, ObjectProvider<CacheManager> caches,
        ObjectProvider<SessionManager> sessions) {
      // The cache manager opens the stores its caches name; health follows what it opened.
      caches.ifAvailable(CacheManager::getCacheNames);
      Map<String, HealthContributor> indicators = new LinkedHashMap<>();
      stores.opened().forEach((label, cache) -> indicators.put(label, StoreHealth.of(cache)));
      sessions.ifAvailable(manager -> indicators.put("sessions", StoreHealth.of(manager)));
      return CompositeHealthContributor.fromMap(indicators);
    }
  }
}
