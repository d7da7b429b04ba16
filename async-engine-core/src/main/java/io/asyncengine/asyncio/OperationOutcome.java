package io.asyncengine.asyncio;

/**
 * How an operation or a connect reported to an {@link EngineListener} ended. Judged from its
 * failure and the failure's causes, so that an exception translated by the engine's
 * {@code ExceptionTranslator} is judged like the engine's own exception it wraps.
 */
public enum OperationOutcome {
  /** Completed normally (a stream: its rows ran out). */
  SUCCESS,
  /** Failed with anything that is neither a cancellation nor a timeout. */
  ERROR,
  /**
   * Cancelled: its future was cancelled (by the caller, a task-group scope or deadline, a doomed
   * transaction), or a stream's subscriber cancelled its subscription.
   */
  CANCELLED,
  /**
   * A deadline passed: the failure is, or is caused by, a {@code StatementTimeoutException} (an
   * async connection's {@code timeout(Duration)}, or a statement timeout the database reported),
   * a {@code PoolTimeoutException} (no connection in time), or JDBC's {@code SQLTimeoutException}.
   */
  TIMEOUT
}
