package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * No connection became available within the connection timeout (SQLAlchemy's pool {@code TimeoutError}); the message gives the pool size, the number in use and the number waiting.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class PoolTimeoutException extends AsyncEngineException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public PoolTimeoutException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public PoolTimeoutException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
