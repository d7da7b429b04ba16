package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The database or the connection to it failed: connection lost or refused, server shutting down, disk full, database locked (SQLState class 08 and kin). The work may succeed on another connection.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class OperationalException extends DatabaseException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public OperationalException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public OperationalException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
