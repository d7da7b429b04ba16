package io.asyncengine.core.internal;

import io.asyncengine.internal.Timers;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Enforces an engine's statement timeout: through the driver's query timeout where the driver stops
 * a running statement at it, otherwise by a timer that cancels the statement (sqlite-jdbc's query
 * timeout only bounds lock waits). One per engine view, shared by its connections. Immutable;
 * {@link #startTimer} may be called from any thread.
 */
public final class StatementTimeouts {

  private final @Nullable Duration timeout;
  private final boolean driverEnforces;
  private final int querySeconds;

  /**
   * The timeouts for {@code timeout} ({@code null} for none); {@code driverEnforces} when the
   * driver stops a running statement at its query timeout.
   */
  public StatementTimeouts(@Nullable Duration timeout, boolean driverEnforces) {
    this.timeout = timeout;
    this.driverEnforces = driverEnforces;
    this.querySeconds = queryTimeoutSeconds(timeout);
  }

  /**
   * Sets the driver's query timeout on {@code statement}, where the driver enforces it.
   *
   * @throws SQLException when the driver refuses
   */
  public void apply(Statement statement) throws SQLException {
    if (querySeconds > 0 && driverEnforces) {
      statement.setQueryTimeout(querySeconds);
    }
  }

  /**
   * Arms the cancel timer for {@code statement}, about to execute, where the driver does not
   * enforce the timeout itself; {@code null} when no timer is needed. Pass the result to
   * {@link #stop} once the execution returns.
   */
  public @Nullable ScheduledFuture<?> startTimer(Statement statement) {
    if (timeout == null || driverEnforces) {
      return null;
    }
    return Timers.after(timeout, () -> {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException ignored) {
        // The statement finished or its connection broke meanwhile: nothing left to stop.
      }
    });
  }

  /** Disarms a timer from {@link #startTimer}; {@code null} is allowed. */
  public static void stop(@Nullable ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** JDBC's query timeout is whole seconds: round up, so a timeout is never shortened to none. */
  private static int queryTimeoutSeconds(@Nullable Duration timeout) {
    if (timeout == null) {
      return 0;
    }
    long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, seconds);
  }
}
