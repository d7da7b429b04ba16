package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The connection to the database was lost or refused: the server ended the session (PostgreSQL
 * {@code pg_terminate_backend}, MariaDB {@code KILL}), shut down, or the socket broke (SQLState
 * class 08, PostgreSQL 57P01/57P02/57P03, MariaDB 1927, 2006, 2013). The message names the cause.
 * The engine evicts the connection from the pool; the work it carried was not committed (a lost
 * COMMIT is a {@link CommitOutcomeUnknownException} instead), and may succeed on another
 * connection.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class ConnectionLostException extends OperationalException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public ConnectionLostException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public ConnectionLostException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
