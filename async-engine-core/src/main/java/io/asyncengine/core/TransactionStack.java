package io.asyncengine.core;

import io.asyncengine.error.InvalidRequestException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The transactions open on one {@link SqlConnection}: the root transaction and the savepoints
 * inside it, innermost first. Only the bookkeeping; the connection issues the SQL.
 *
 * <p>Invariants: there are savepoints only while a root is open; a transaction leaves the stack
 * exactly when it is marked ended. Used on the connection's thread; {@link #root()},
 * {@link #innermost()} and {@link #hasSavepoints()} may be read from any thread.
 */
final class TransactionStack {

  private volatile @Nullable Transaction root;
  private final Deque<Transaction> savepoints = new ArrayDeque<>();
  /** The head of {@link #savepoints}, published for readers on other threads. */
  private volatile @Nullable Transaction innermost;

  /** The root transaction, or {@code null}. */
  @Nullable Transaction root() {
    return root;
  }

  /** Whether a root transaction is open. */
  boolean isOpen() {
    return root != null;
  }

  /** Whether a savepoint is open. */
  boolean hasSavepoints() {
    return innermost != null;
  }

  /** The innermost open savepoint, or {@code null}. */
  @Nullable Transaction innermost() {
    return innermost;
  }

  /** Opens the root transaction of {@code connection}; none may be open. */
  Transaction open(SqlConnection connection) {
    root = new Transaction(connection, null);
    return root;
  }

  /** Records {@code savepoint}, just set on {@code connection}, as the innermost nested transaction. */
  Transaction push(SqlConnection connection, Savepoint savepoint) {
    Transaction nested = new Transaction(connection, savepoint);
    savepoints.push(nested);
    innermost = nested;
    return nested;
  }

  /**
   * Removes {@code nested}, about to be released or rolled back, ending the savepoints opened inside it.
   *
   * @throws io.asyncengine.error.InvalidRequestException when {@code nested} is no longer open
   */
  void pop(Transaction nested) {
    if (!savepoints.contains(nested)) {
      throw new InvalidRequestException("This nested transaction is no longer active");
    }
    while (savepoints.peek() != nested) {
      savepoints.pop().markEnded();
    }
    savepoints.pop();
    innermost = savepoints.peek();
  }

  /** Ends every savepoint and the root, innermost first: the root transaction is over. */
  void clear() {
    Transaction ended = root;
    root = null;
    innermost = null;
    while (!savepoints.isEmpty()) {
      savepoints.pop().markEnded();
    }
    if (ended != null) {
      ended.markEnded();
    }
  }
}
