package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * A constraint was violated: unique key, foreign key, not-null or check (SQLState class 23).
 *
 * <p>Thread: none; immutable once thrown.
 */
public class IntegrityViolationException extends DatabaseException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public IntegrityViolationException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public IntegrityViolationException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
