package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * An UPDATE or DELETE guarded by a version column matched no row: another transaction changed or deleted the entity first.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class StaleObjectException extends AsyncEngineException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public StaleObjectException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public StaleObjectException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
