package io.asyncengine.error;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Root of every exception async-engine throws. Unchecked, like SQLAlchemy's {@code SQLAlchemyError}.
 *
 * <p>When the failure came from the database it carries the driver's SQLState and vendor code and
 * the SQL that failed ({@link #sql()}); the message names the problem, then the SQL. Bound
 * parameter values appear in the message only when the engine was built with {@code echo(true)}.
 *
 * <p>Thread: none; instances are immutable once thrown and may be read from any thread.
 */
public class AsyncEngineException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final @Nullable String sqlState;
  private final int vendorCode;
  private final @Nullable String sql;

  /** An error raised by the engine itself, not by the database. */
  public AsyncEngineException(String message) {
    this(message, null, null);
  }

  /** An error raised by the engine itself about {@code sql}, with an optional cause. */
  public AsyncEngineException(String message, @Nullable String sql, @Nullable Throwable cause) {
    super(message, cause);
    this.sql = sql;
    if (cause instanceof SQLException sqlException) {
      this.sqlState = sqlException.getSQLState();
      this.vendorCode = sqlException.getErrorCode();
    } else {
      this.sqlState = null;
      this.vendorCode = 0;
    }
  }

  /** The SQLState reported by the driver, or {@code null} when the error did not come from it. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /** The vendor error code reported by the driver, {@code 0} when none. */
  public int vendorCode() {
    return vendorCode;
  }

  /** The SQL being run when the error happened, or {@code null} when no statement was involved. */
  public @Nullable String sql() {
    return sql;
  }
}
