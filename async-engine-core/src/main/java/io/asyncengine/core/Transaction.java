package io.asyncengine.core;

import io.asyncengine.error.InvalidRequestException;
import java.sql.Savepoint;
import org.jspecify.annotations.Nullable;

/**
 * A transaction on a {@link SqlConnection}: the root transaction, or a nested one backed by a
 * SAVEPOINT (SQLAlchemy's {@code RootTransaction} / {@code NestedTransaction}).
 *
 * <p>{@link #close()} rolls back if neither {@link #commit()} nor {@link #rollback()} ran, so
 * {@code try (Transaction tx = connection.begin()) { …; tx.commit(); }} never leaves work half
 * done. Ending a transaction ends every savepoint opened inside it.
 *
 * <p>Thread: the thread that uses the connection; {@link #isActive()} from any thread.
 */
public final class Transaction implements AutoCloseable {

  private final SqlConnection connection;
  private final @Nullable Savepoint savepoint;
  private volatile boolean active = true;

  Transaction(SqlConnection connection, @Nullable Savepoint savepoint) {
    this.connection = connection;
    this.savepoint = savepoint;
  }

  /**
   * Commits (root) or releases the savepoint (nested).
   *
   * @throws InvalidRequestException when the transaction already ended
   * @throws io.asyncengine.error.AsyncEngineException subclasses when the database refuses, e.g.
   *     {@link io.asyncengine.error.SerializationFailureException} at commit; the transaction has
   *     ended either way
   * @throws io.asyncengine.error.CommitOutcomeUnknownException when the connection was lost while
   *     the root COMMIT was in flight: it may or may not have been committed
   */
  public void commit() {
    ensureActive("commit");
    connection.commitTransaction(this);
    active = false;
  }

  /**
   * Rolls back (root) or rolls back to the savepoint and releases it (nested). A root transaction
   * the engine already rolled back because an operation was cancelled inside it ends the
   * connection's pending-rollback state instead (see {@link SqlConnection#rollback()}).
   *
   * @throws InvalidRequestException when the transaction already ended
   *     ({@link io.asyncengine.error.PendingRollbackException} when a cancel ended it)
   */
  public void rollback() {
    if (!active && connection.acknowledgeInvalidation(this)) {
      return; // already rolled back by the engine after a cancel: this acknowledges it
    }
    ensureActive("roll back");
    connection.rollbackTransaction(this);
    active = false;
  }

  /**
   * Rolls back if still active; otherwise does nothing, except acknowledging an invalidation as
   * {@link #rollback()} does.
   */
  @Override
  public void close() {
    if (active && !connection.isClosed()) {
      rollback();
    } else if (!active) {
      connection.acknowledgeInvalidation(this);
    }
  }

  /** Whether the transaction has not ended yet. */
  public boolean isActive() {
    return active;
  }

  /** Whether this is a SAVEPOINT inside another transaction. */
  public boolean isNested() {
    return savepoint != null;
  }

  @Nullable Savepoint savepoint() {
    return savepoint;
  }

  void markEnded() {
    active = false;
  }

  private void ensureActive(String action) {
    if (!active) {
      connection.checkValidTransaction(); // ended by an invalidation: say why
      throw new InvalidRequestException("Cannot " + action + ": this transaction has already ended");
    }
  }
}
