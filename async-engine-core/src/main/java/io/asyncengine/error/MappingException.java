package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * A row could not be mapped to the requested type, or a value could not be converted to the requested Java type; the message names the column, the type and the value's type.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class MappingException extends AsyncEngineException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public MappingException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public MappingException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
