package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * An engine, connection, session, result or stream was used after it was closed or disposed.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class ResourceClosedException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public ResourceClosedException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public ResourceClosedException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
