package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The connection was lost while COMMIT was in flight, so whether the transaction was committed is
 * unknown (CockroachDB's "result is ambiguous"): the server may have made it durable just before
 * the connection broke. The engine evicts the connection and never retries such a transaction by
 * itself, not even under an idempotent {@code RetryPolicy}; the application must find out (look
 * for the row it wrote, by a key of its own) before doing the work again.
 *
 * <p>Not a {@link ConnectionLostException}, so code that retries on connection loss does not catch
 * it by accident.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class CommitOutcomeUnknownException extends OperationalException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public CommitOutcomeUnknownException(String message) {
    super(message);
  }

  /** Creates the exception for a failed commit, caused by {@code cause} (the driver's error). */
  public CommitOutcomeUnknownException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
