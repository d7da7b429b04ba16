package io.asyncengine.core.internal;

/**
 * The per-operation controls of one {@code SqlConnection} that only the async facade uses: an
 * operation is the unit the facade cancels, so a cancel must reach the statement running now and
 * every statement the same operation starts later, and must be forgotten when the operation ends.
 *
 * <p>{@link #cancelOperation()} may be called from any thread; the other two run on the thread
 * that runs the connection's operations.
 */
public interface OperationControl {

  /**
   * Cancels the current operation: the running statement is cancelled on the server (or
   * interrupted, on SQLite), and any statement the operation starts afterwards, until
   * {@link #endOperation()}, fails at once with {@code StatementTimeoutException} without reaching
   * the database. Never throws.
   */
  void cancelOperation();

  /**
   * Restores a known state after an operation was cancelled while it ran: an open transaction is
   * rolled back and open cursors are closed; when that fails, or a cursor was cut off mid-stream,
   * the physical connection is evicted and the connection closed. Never throws.
   */
  void recoverFromCancel();

  /** Forgets a cancel requested for the operation that just ended, so it cannot reach the next one. */
  void endOperation();
}
