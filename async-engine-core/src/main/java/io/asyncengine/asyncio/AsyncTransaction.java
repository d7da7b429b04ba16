package io.asyncengine.asyncio;

import io.asyncengine.core.Transaction;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A transaction of an {@link AsyncConnection} (SQLAlchemy's {@code AsyncTransaction}): the root
 * transaction or a SAVEPOINT. Its operations run on the connection's lane, after everything
 * submitted before them.
 *
 * <p>Thread: any thread may call these methods; they never block.
 */
public final class AsyncTransaction {

  private final AsyncConnection connection;
  private final Transaction transaction;

  AsyncTransaction(AsyncConnection connection, Transaction transaction) {
    this.connection = connection;
    this.transaction = transaction;
  }

  /**
   * Commits (root) or releases the savepoint (nested). The future fails with
   * {@link io.asyncengine.error.InvalidRequestException} when the transaction already ended
   * ({@link io.asyncengine.error.PendingRollbackException} when a cancelled operation ended it), or
   * a database exception such as {@link io.asyncengine.error.SerializationFailureException}.
   */
  public CompletableFuture<Void> commit() {
    return connection.run(OperationKinds.COMMIT, transaction::commit);
  }

  /**
   * Rolls back (root) or rolls back to the savepoint (nested). On a root transaction the engine
   * already rolled back because an operation was cancelled inside it, this acknowledges that and
   * ends the connection's pending-rollback state.
   */
  public CompletableFuture<Void> rollback() {
    return connection.run(OperationKinds.ROLLBACK, transaction::rollback);
  }

  /** Rolls back if neither {@link #commit()} nor {@link #rollback()} ran; otherwise nothing. */
  public CompletableFuture<Void> close() {
    return connection.run(OperationKinds.ROLLBACK, transaction::close);
  }

  /** Whether the transaction has not ended yet, as of the operations completed so far. */
  public boolean isActive() {
    return transaction.isActive();
  }

  /** Whether this is a SAVEPOINT. */
  public boolean isNested() {
    return transaction.isNested();
  }

  /** The synchronous transaction this one proxies. */
  public Transaction sync() {
    return transaction;
  }

  /** Whether {@code other} is a handle of the same transaction (of any view of the connection). */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AsyncTransaction that && that.transaction == transaction;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(transaction);
  }
}
