package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The statement is wrong: syntax error, unknown table or column, missing privilege (SQLState class 42), or parameters that do not fit it.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class ProgrammingException extends DatabaseException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public ProgrammingException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public ProgrammingException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
