package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * A statement ran past its timeout or deadline and was cancelled on the server.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class StatementTimeoutException extends OperationalException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public StatementTimeoutException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public StatementTimeoutException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
