package io.asyncengine.spring.health;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when a connection borrowed through the engine's admission gate passes
 * {@code Connection.isValid} within the timeout, DOWN otherwise (database unreachable, pool
 * exhausted, engine disposed). Details: executor mode, dialect, the gate's numbers and, for a
 * HikariCP pool, its active, idle, total and waiting connections.
 *
 * <p>Runs on the caller's thread (the actuator's), which it blocks for at most the timeout.
 */
public final class AsyncEngineHealthIndicator extends AbstractHealthIndicator {

  private final AsyncEngine engine;
  private final Duration timeout;
  private final @Nullable HikariDataSource pool;

  /**
   * @param engine the engine to check
   * @param timeout how long the check may wait for a connection and its validation
   * @param pool the HikariCP pool behind the engine, for its details, or {@code null}
   */
  public AsyncEngineHealthIndicator(AsyncEngine engine, Duration timeout, @Nullable HikariDataSource pool) {
    super("AsyncEngine health check failed");
    this.engine = engine;
    this.timeout = timeout;
    this.pool = pool;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws Exception {
    AsyncEngine.GateStats gate = engine.gateStats();
    builder.withDetail("executorMode", engine.executorMode().name().toLowerCase(Locale.ROOT))
        .withDetail("database", engine.dialect().name())
        .withDetail("gate.maxConcurrency", gate.maxConcurrency())
        .withDetail("gate.inUse", gate.inUse())
        .withDetail("gate.waiting", gate.waiting());
    HikariPoolMXBean stats = pool != null ? pool.getHikariPoolMXBean() : null;
    if (pool != null && stats != null) {
      builder.withDetail("pool.name", pool.getPoolName())
          .withDetail("pool.active", stats.getActiveConnections())
          .withDetail("pool.idle", stats.getIdleConnections())
          .withDetail("pool.total", stats.getTotalConnections())
          .withDetail("pool.waiting", stats.getThreadsAwaitingConnection());
    }
    if (engine.isDisposed()) {
      builder.down().withDetail("error", "the engine has been disposed");
      return;
    }
    CompletableFuture<Boolean> check = engine.connect().thenCompose(this::validate);
    try {
      boolean valid = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      (valid ? builder.up() : builder.down()).withDetail("validConnection", valid);
    } catch (TimeoutException e) {
      check.cancel(true);
      builder.down().withDetail("error", "no valid connection within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      builder.down(e.getCause() != null ? e.getCause() : e);
    }
  }

  private CompletableFuture<Boolean> validate(AsyncConnection connection) {
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    return connection.runSync(sync -> {
      try {
        return sync.jdbc().isValid(seconds);
      } catch (SQLException e) {
        return false;
      }
    }).whenComplete((valid, failure) -> connection.close());
  }
}
