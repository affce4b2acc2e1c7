package dev.hoard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.servlet.RateLimitFilter;
import dev.hoard.servlet.ResponseCacheFilter;
import dev.hoard.servlet.SessionFilter;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.SessionManager;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the auto-configuration registers for which properties. */
class HoardAutoConfigurationTest {

  /** Spring Security's filter chain registration order (SecurityFilterProperties). */
  private static final int SPRING_SECURITY_ORDER = -100;

  private final ApplicationContextRunner plain = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HoardAutoConfiguration.class));
  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HoardAutoConfiguration.class));

  @Test
  void withNothingSetCachesLiveInMemory() {
    plain.run(context -> {
      assertThat(context.getBean(HoardStores.class).defaultUrl()).isEqualTo("memory:");
      assertThat(context).hasSingleBean(HoardCacheManager.class)
          .doesNotHaveBean(SessionManager.class);
    });
  }

  @Test
  void micrometerGetsTheLibrarysMetersForEveryStoreAndTheSessions() {
    plain.withPropertyValues("hoard.cache.caches.books.ttl=10m", "hoard.session.url=memory:")
        .run(context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          org.springframework.cache.Cache books =
              context.getBean(CacheManager.class).getCache("books");
          books.put(1, "Dune");
          assertThat(books.get(1, String.class)).isEqualTo("Dune");
          context.getBeansOfType(MeterBinder.class).values()
              .forEach(binder -> binder.bindTo(registry));
          SessionManager sessions = context.getBean(SessionManager.class);
          dev.hoard.session.Session session = sessions.create(ClientInfo.UNKNOWN);
          session.put("user", "ada");
          sessions.save(session);
          assertThat(registry.get("cache.gets").tag("cache", "cache").tag("result", "hit")
              .functionCounter().count()).isGreaterThanOrEqualTo(1);
          assertThat(registry.get("hoard.sessions.started").functionCounter().count())
              .isEqualTo(1);
          assertThat(registry.get("hoard.sessions.active").gauge().value()).isEqualTo(1);
        });
  }

  @Test
  void theEnvironmentVariableChoosesTheStoreWhenThePropertyIsUnset() {
    plain.withPropertyValues("HOARD_CACHE_URL=memory://?maximumSize=100").run(context ->
        assertThat(context.getBean(HoardStores.class).defaultUrl())
            .isEqualTo("memory://?maximumSize=100"));
    plain.withPropertyValues("HOARD_CACHE_URL=memory://?maximumSize=100",
        "hoard.cache.url=memory://?maximumSize=5").run(context ->
        assertThat(context.getBean(HoardStores.class).defaultUrl())
            .isEqualTo("memory://?maximumSize=5"));
  }

  @Test
  void anApplicationsOwnCacheManagerWins() {
    plain.withUserConfiguration(OwnCacheManager.class).run(context ->
        assertThat(context).doesNotHaveBean(HoardCacheManager.class)
            .hasSingleBean(CacheManager.class));
    plain.withPropertyValues("hoard.cache.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(HoardCacheManager.class));
  }

  @Test
  void declaredCachesGetTheirTtlAndExistFromTheStart() {
    plain.withPropertyValues("hoard.cache.caches.users.ttl=10m", "hoard.cache.dynamic=false")
        .run(context -> {
          HoardCacheManager manager = context.getBean(HoardCacheManager.class);
          manager.getCache("users").put("ann", "Ann");

          assertThat(manager.getCacheNames()).containsExactly("users");
          assertThat(manager.getCache("others")).isNull();
          assertThat(manager.hoardCaches().get("users").ttl("ann")).hasValueSatisfying(
              left -> assertThat(left).isLessThanOrEqualTo(Duration.ofMinutes(10)));
        });
  }

  @Test
  void theSessionFilterComesBeforeSpringSecurityWhenASessionStoreIsNamed() {
    web.run(context -> assertThat(context).doesNotHaveBean(SessionManager.class));
    web.withPropertyValues("hoard.session.url=memory:", "hoard.session.cookie.name=SHOP")
        .run(context -> {
          FilterRegistrationBean<?> registration =
              context.getBean("hoardSessionFilter", FilterRegistrationBean.class);

          assertThat(registration.getFilter()).isInstanceOf(SessionFilter.class);
          assertThat(registration.getOrder()).isLessThan(SPRING_SECURITY_ORDER);
          assertThat(context).hasSingleBean(SessionManager.class);
        });
  }

  @Test
  void rateLimitAndResponseCacheFiltersComeFromTheirProperties() {
    web.run(context -> assertThat(context)
        .doesNotHaveBean("hoardRateLimitFilter").doesNotHaveBean("hoardResponseCacheFilter"));
    web.withPropertyValues(
            "hoard.rate-limit.routes.login.path=/login",
            "hoard.rate-limit.routes.login.limit=5",
            "hoard.response-cache.paths=/api/*")
        .run(context -> {
          assertThat(context.getBean("hoardRateLimitFilter", FilterRegistrationBean.class)
              .getFilter()).isInstanceOf(RateLimitFilter.class);
          FilterRegistrationBean<?> responses =
              context.getBean("hoardResponseCacheFilter", FilterRegistrationBean.class);
          assertThat(responses.getFilter()).isInstanceOf(ResponseCacheFilter.class);
          assertThat(responses.getUrlPatterns()).containsExactly("/api/*");
        });
  }

  @Test
  void aRateLimitRouteWithoutALimitIsRefusedWithItsPropertyName() {
    web.withPropertyValues("hoard.rate-limit.routes.login.path=/login").run(context ->
        assertThat(context).hasFailed().getFailure()
            .hasRootCauseMessage("hoard.rate-limit.routes.login needs a path and a positive"
                + " limit, e.g. path=/login, limit=5, per=1m"));
  }

  @Test
  void healthIsUpOnAWorkingStoreAndDegradedWhileTheStoreFails() {
    plain.withPropertyValues(
            "hoard.cache.caches.remote.url=redis://127.0.0.1:1/0?breakerFailures=1",
            "hoard.session.url=memory:")
        .run(context -> {
          CompositeHealthContributor hoard =
              context.getBean("hoardHealthContributor", CompositeHealthContributor.class);

          assertThat(((HealthIndicator) hoard.getContributor("cache")).health().getStatus())
              .isEqualTo(Status.UP);
          assertThat(((HealthIndicator) hoard.getContributor("sessions")).health().getStatus())
              .isEqualTo(Status.UP);
          HealthIndicator remote = (HealthIndicator) hoard.getContributor("cache-remote");
          assertThat(remote.health().getStatus()).isEqualTo(StoreHealth.DEGRADED);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCacheManager {
    @Bean
    CacheManager cacheManager() {
      return new ConcurrentMapCacheManager();
    }
  }
}
