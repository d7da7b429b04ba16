package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code echo} log: each statement, its parameters and its time, at INFO on the SLF4J logger
 * {@code io.asyncengine.sql}. When echo is off nothing is formatted, so the hot path pays one
 * boolean test. Thread-safe.
 */
public final class SqlLog {

  /** The logger name users configure. */
  public static final String LOGGER_NAME = "io.asyncengine.sql";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  private final boolean echo;

  /** A log that writes only when {@code echo} is true. */
  public SqlLog(boolean echo) {
    this.echo = echo;
  }

  /** Whether statements are logged (and parameters may appear in error messages). */
  public boolean echo() {
    return echo;
  }

  /**
   * Logs a statement that completed in {@code nanos}. {@code parameters} is the statement's {@link
   * Params} (printed by {@link Params#describe()}, as in error messages) or a summary such as
   * "3 parameter sets".
   */
  public void statement(String sql, Object parameters, long nanos, String outcome) {
    if (echo) {
      Object shown = parameters instanceof Params params ? params.describe() : parameters;
      LOG.info("{} {} ({} ms, {})", sql, shown, String.format("%.3f", nanos / 1_000_000.0), outcome);
    }
  }

  /** Logs a transaction event such as BEGIN, COMMIT, ROLLBACK or SAVEPOINT. */
  public void event(String event) {
    if (echo) {
      LOG.info(event);
    }
  }
}
