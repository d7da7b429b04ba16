package io.asyncengine.core.internal;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the engine's own HikariCP pool is started with (see {@link PoolFactory}). Immutable.
 *
 * @param url the JDBC URL
 * @param username the database user, or {@code null}
 * @param password the database password, or {@code null}; never logged
 * @param autoCommit the resting auto-commit mode of pooled connections
 * @param maxPoolSize the most connections the pool opens
 * @param minIdle idle connections kept ready, or {@code null} for {@code maxPoolSize}
 * @param connectionTimeout how long a borrow waits for a free connection
 * @param maxLifetime the age at which a connection is retired
 * @param idleTimeout how long an idle connection above {@code minIdle} is kept
 * @param validationTimeout how long a connection validation may take
 * @param poolName the pool's name, or {@code null} for {@code async-engine-<dialect>}
 * @param driverProperties properties for the driver, over the dialect's own
 */
public record PoolSettings(
    String url,
    @Nullable String username,
    @Nullable String password,
    boolean autoCommit,
    int maxPoolSize,
    @Nullable Integer minIdle,
    Duration connectionTimeout,
    Duration maxLifetime,
    Duration idleTimeout,
    Duration validationTimeout,
    @Nullable String poolName,
    Map<String, String> driverProperties) {

  /** Copies {@code driverProperties}, which the builder goes on changing. */
  public PoolSettings {
    driverProperties = Map.copyOf(driverProperties);
  }
}
