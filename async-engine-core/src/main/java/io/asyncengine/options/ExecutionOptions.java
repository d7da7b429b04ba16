package io.asyncengine.options;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Defaults applied to every connection an engine hands out (SQLAlchemy's
 * {@code execution_options}): isolation level, statement timeout, fetch size for streaming and
 * read-only mode.
 *
 * <p>Immutable; each {@code with…} method returns a copy. {@code null} isolation means the
 * database's own default; {@code null} timeout means none.
 *
 * @param isolation the isolation level of new transactions, or {@code null} for the database's
 * @param statementTimeout the longest a statement may run before it is cancelled on the server,
 *     or {@code null} for no limit (JDBC counts whole seconds: sub-second values round up)
 * @param fetchSize rows fetched per round trip by {@code stream()}; {@code 0} for the dialect's
 *     default
 * @param readOnly whether connections are put in read-only mode
 */
public record ExecutionOptions(
    @Nullable IsolationLevel isolation, @Nullable Duration statementTimeout, int fetchSize, boolean readOnly) {

  private static final ExecutionOptions DEFAULTS = new ExecutionOptions(null, null, 0, false);

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException for a negative fetch size or a zero or negative timeout
   */
  public ExecutionOptions {
    if (fetchSize < 0) {
      throw new IllegalArgumentException("fetchSize must be >= 0, was " + fetchSize);
    }
    if (statementTimeout != null && (statementTimeout.isNegative() || statementTimeout.isZero())) {
      throw new IllegalArgumentException("statementTimeout must be positive, was " + statementTimeout);
    }
  }

  /** No isolation override, no timeout, the dialect's fetch size, read-write. */
  public static ExecutionOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with another isolation level ({@code null} for the database's default). */
  public ExecutionOptions withIsolation(@Nullable IsolationLevel level) {
    return new ExecutionOptions(level, statementTimeout, fetchSize, readOnly);
  }

  /** A copy with another statement timeout ({@code null} for none). */
  public ExecutionOptions withStatementTimeout(@Nullable Duration timeout) {
    return new ExecutionOptions(isolation, timeout, fetchSize, readOnly);
  }

  /** A copy with another streaming fetch size ({@code 0} for the dialect's default). */
  public ExecutionOptions withFetchSize(int rows) {
    return new ExecutionOptions(isolation, statementTimeout, rows, readOnly);
  }

  /** A copy with read-only mode on or off. */
  public ExecutionOptions withReadOnly(boolean on) {
    return new ExecutionOptions(isolation, statementTimeout, fetchSize, on);
  }

}
