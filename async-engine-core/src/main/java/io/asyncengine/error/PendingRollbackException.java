package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * A previous failure left the transaction unusable; it must be rolled back before the connection or session is used again.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class PendingRollbackException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public PendingRollbackException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public PendingRollbackException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
