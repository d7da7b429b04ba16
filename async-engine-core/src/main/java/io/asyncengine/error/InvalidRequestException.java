package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The API was used in a way its current state does not allow (SQLAlchemy's {@code InvalidRequestError}), for example beginning a transaction inside another.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class InvalidRequestException extends AsyncEngineException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public InvalidRequestException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public InvalidRequestException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
