package dev.hoard.jdbc.session;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.jdbc.internal.UrlParameters;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@code jdbc:postgresql://host/db?table=hoard_sessions}, {@code jdbc:mariadb://…}, {@code
 * jdbc:mysql://…}, {@code jdbc:sqlite:/var/lib/app/sessions.db} and {@code jdbc:h2:…} as a {@link
 * JdbcSessionStore}. It takes the same store parameters as the JDBC cache store ({@code table},
 * {@code createTable}, {@code poolSize}, {@code purgeInterval}); every other parameter goes to the
 * driver as written.
 */
public final class JdbcSessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public JdbcSessionStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public SessionBackend open(StoreUrl url, Clock clock) {
    UrlParameters options = UrlParameters.take(url);
    return options.applyTo(JdbcSessionStore.builder(options.driverUrl()).clock(clock)).build();
  }
}
