package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * Two operations overlapped on one session, which is not for concurrent use; the second fails at once and the first is unaffected.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class ConcurrentSessionUseException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public ConcurrentSessionUseException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public ConcurrentSessionUseException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
