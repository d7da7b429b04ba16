package io.asyncengine.core.internal;

import java.time.Duration;

/**
 * The per-operation controls of one {@code SqlConnection} that only the async facade uses: an
 * operation is the unit the facade cancels, so a cancel must reach the statement running now and
 * every statement the same operation starts later, and must be forgotten when the operation ends.
 *
 * <p>{@link #cancelOperation()} may be called from any thread; the others run on the thread that
 * runs the connection's operations.
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

  /** Whether a statement begins a transaction by itself (autobegin; false in autocommit mode). */
  boolean autobegins();

  /**
   * Invalidates the current transaction because {@code cancelled} (an operation's name, for the
   * message) was cancelled inside it: an open transaction is rolled back (a connection whose
   * rollback fails is evicted and closed), and until {@code rollback()} every statement, begin and
   * commit fails with {@code PendingRollbackException} naming {@code cancelled}. Never throws.
   *
   * @param afterRecovery whether {@link #recoverFromCancel()} has just run for the same operation:
   *     then the transaction it rolled back is the invalidated one, whose own {@code rollback()}
   *     acknowledges the invalidation
   */
  void invalidateTransaction(String cancelled, boolean afterRecovery);

  /**
   * Closes the connection for its user when closing has a rollback to do, leaving that rollback and
   * the return to the pool to {@link #returnDetached}: the connection counts as closed from now on
   * (every statement fails, cancels and recoveries are no-ops). Does nothing and returns false when
   * closing needs no round trip (nothing was begun, or the connection was lost) or it is closed.
   *
   * @return whether {@link #returnDetached} must now be called, on the same thread
   */
  boolean detach();

  /**
   * After {@link #detach()}: closes the cursors, rolls back and gives the connection back to the
   * pool, or evicts it when any of that fails or takes longer than {@code rollbackLimit} (the socket
   * is then closed under the rollback). Never throws.
   */
  void returnDetached(Duration rollbackLimit);
}
