package io.asyncengine.error;

import org.jspecify.annotations.Nullable;

/**
 * {@code one()}, {@code oneOrNone()} or a scalar-one accessor found more than one row.
 *
 * <p>Thread: none; immutable once thrown.
 */
public class MultipleResultsException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the problem. */
  public MultipleResultsException(String message) {
    super(message);
  }

  /** Creates the exception for a failure of {@code sql} (may be null), caused by {@code cause}. */
  public MultipleResultsException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, sql, cause);
  }
}
