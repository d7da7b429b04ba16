package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The transaction lost a serialization conflict or a deadlock (SQLState 40001, 40P01, MariaDB's
 * deadlock 1213, SQLite's stale snapshot): it cannot commit, and is safe to retry as a whole once
 * rolled back. PostgreSQL and MariaDB have already rolled it back; on SQLite it stays open until
 * the caller rolls back ({@code inTransaction} and {@code RetryPolicy} do).
 *
 * <p>Thread: none; immutable once thrown.
 */
public class SerializationFailureException extends OperationalException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public SerializationFailureException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public SerializationFailureException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
