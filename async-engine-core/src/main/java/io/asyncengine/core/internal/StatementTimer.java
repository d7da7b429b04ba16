package io.asyncengine.core.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces statement timeouts for drivers that ignore {@code setQueryTimeout} on a running
 * statement (sqlite-jdbc): a cancel scheduled when the statement starts and withdrawn when it ends.
 *
 * <p>One daemon platform thread for the whole JVM; it only calls {@code Statement.cancel()}, which
 * never blocks for long. Thread-safe.
 */
public final class StatementTimer {

  private static final ScheduledThreadPoolExecutor TIMER = createTimer();

  private StatementTimer() {}

  /**
   * Cancels {@code statement} after {@code timeout} unless the returned handle is cancelled first.
   */
  public static ScheduledFuture<?> cancelAfter(Statement statement, Duration timeout) {
    return TIMER.schedule(() -> {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException ignored) {
        // The statement finished or its connection broke in the meantime: nothing left to stop.
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor createTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "async-engine-statement-timer");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
