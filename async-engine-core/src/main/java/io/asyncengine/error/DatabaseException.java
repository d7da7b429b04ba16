package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * An error reported by the database or its driver (SQLAlchemy's {@code DBAPIError}); the subclasses say which kind.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class DatabaseException extends AsyncEngineException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public DatabaseException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public DatabaseException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
