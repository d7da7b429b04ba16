package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * The transaction lost a serialization conflict or a deadlock (SQLState 40001, 40P01); it was rolled back and is safe to retry as a whole.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class SerializationFailureException extends OperationalException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public SerializationFailureException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public SerializationFailureException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
