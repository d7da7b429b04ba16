package io.asyncengine.core.internal;

import io.asyncengine.error.StatementTimeoutException;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statement running on one connection, where a cancel from another thread can reach it, and
 * whether the current operation was cancelled. An operation (the unit the async facade cancels)
 * may run several statements: a cancel that lands between two of them must still stop the next
 * one, so the flag outlives the statement and is cleared only by {@link #endOperation()}.
 *
 * <p>Invariant: a statement is published before the flag is read, and the flag is set before the
 * published statement is read, so a cancel racing a start either reaches the statement or is seen
 * by the start (the two fields are volatile). Thread-safe: the connection's thread starts and
 * finishes statements; {@link #cancel()} and {@link #cancelOperation()} come from any thread.
 */
public final class RunningStatement {

  private static final Logger LOG = LoggerFactory.getLogger(RunningStatement.class);

  private volatile @Nullable Statement statement;
  /** How to cancel the running fetch when {@code Statement.cancel()} does not reach it; null otherwise. */
  private volatile @Nullable Runnable fetchCancel;
  private volatile boolean operationCancelled;

  /**
   * Publishes {@code running} as the running statement.
   *
   * @throws StatementTimeoutException when the operation was cancelled before the statement started
   */
  public void start(Statement running) {
    statement = running;
    if (operationCancelled) {
      statement = null;
      throw new StatementTimeoutException("The operation was cancelled before this statement started");
    }
  }

  /**
   * Publishes {@code cursor} as running for one fetch of an open cursor. After a cancel the query is
   * stopped on the server too, so that closing a streaming result (MariaDB reads the rest of it) is
   * quick.
   *
   * @throws StatementTimeoutException when the operation was cancelled
   */
  public void startFetch(Statement cursor) {
    startFetch(cursor, null);
  }

  /**
   * {@link #startFetch(Statement)} for a fetch that {@code cancel} stops (for a driver that ignores
   * {@code Statement.cancel()} between fetches, a cancel of the whole connection's current work);
   * {@link #cancel()} runs it instead of {@code Statement.cancel()} until {@link #finish()}.
   * {@code cancel} must not throw.
   *
   * @throws StatementTimeoutException when the operation was cancelled
   */
  public void startFetch(Statement cursor, @Nullable Runnable cancel) {
    fetchCancel = cancel;
    statement = cursor;
    if (operationCancelled) {
      statement = null;
      fetchCancel = null;
      cancelQuietly(cursor);
      throw new StatementTimeoutException("The operation was cancelled; the cursor fetch was stopped");
    }
  }

  /** The statement has returned: nothing runs now. */
  public void finish() {
    statement = null;
    fetchCancel = null;
  }

  /** Cancels the running statement, if any. Any thread; never throws. */
  public void cancel() {
    Statement running = statement;
    Runnable fetch = fetchCancel;
    if (running != null) {
      if (fetch != null) {
        fetch.run();
      } else {
        cancelQuietly(running);
      }
    }
  }

  /** Cancels the running statement and every statement the operation starts from now on. Any thread. */
  public void cancelOperation() {
    operationCancelled = true;
    cancel();
  }

  /** Forgets the cancel of the operation that just ended, so it cannot reach the next one. */
  public void endOperation() {
    operationCancelled = false;
  }

  /** Whether the current operation was cancelled. Any thread. */
  public boolean isOperationCancelled() {
    return operationCancelled;
  }

  private static void cancelQuietly(Statement running) {
    try {
      running.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Statement cancel failed", e);
    }
  }
}
