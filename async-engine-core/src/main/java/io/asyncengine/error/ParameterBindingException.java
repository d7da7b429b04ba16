package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The parameters do not fit the statement: wrong count, a named parameter missing or unknown, or a value no JDBC type can carry. Raised before anything reaches the database.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class ParameterBindingException extends ProgrammingException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public ParameterBindingException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public ParameterBindingException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
