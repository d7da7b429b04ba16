package io.asyncengine.asyncio;

import io.asyncengine.session.SessionTransaction;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The async facade of a {@link SessionTransaction}: the root transaction from {@link
 * AsyncSession#begin()} or a SAVEPOINT from {@link AsyncSession#beginNested()}. Its operations run
 * on the session's connection lane, under the session's misuse guard.
 *
 * <p>Thread: any; futures complete on the session's lane.
 */
public final class AsyncSessionTransaction {

  private final AsyncSession session;
  private final SessionTransaction transaction;

  AsyncSessionTransaction(AsyncSession session, SessionTransaction transaction) {
    this.session = session;
    this.transaction = transaction;
  }

  /** Root: flush and commit the session. Nested: flush and release the savepoint. */
  public CompletableFuture<Void> commit() {
    return session.submit("commit", s -> {
      transaction.commit();
      return null;
    });
  }

  /** Root: the session's rollback. Nested: roll back to the savepoint and expire everything. */
  public CompletableFuture<Void> rollback() {
    return session.submit("rollback", s -> {
      transaction.rollback();
      return null;
    });
  }

  /** Whether the transaction has not ended. Never blocks. */
  public boolean isActive() {
    return transaction.isActive();
  }

  /** Whether this is a SAVEPOINT. */
  public boolean isNested() {
    return transaction.isNested();
  }

  /** Whether {@code other} is a handle of the same session transaction. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AsyncSessionTransaction that && that.transaction == transaction;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(transaction);
  }
}
