package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * A value the database cannot store or process: too long, out of range, wrong type, division by zero (SQLState class 22).
 *
 * <p>Thread: none; immutable once thrown.
 */
public class DataException extends DatabaseException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public DataException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public DataException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
