package io.asyncengine.asyncio;

/**
 * Observes an engine's operations: every operation an {@code EngineListener} hears (same kinds,
 * same outcomes) and every connect, as kind {@value #CONNECTION_ACQUIRE}. Installed with
 * {@code AsyncEngine.Builder.observer}; an engine without one allocates and captures nothing for
 * observation.
 *
 * <p>For each operation the engine calls, in this order:
 * <ol>
 *   <li>{@link #start} on the thread that calls the engine (an application thread, or an engine
 *       thread running a continuation), when the operation is submitted, so that the caller's
 *       current span or observation can be its parent;
 *   <li>{@link OperationObservation#openScope()} on the engine thread that runs the operation's
 *       JDBC work (the connection's lane; for a connect, the thread that borrows from the pool), and
 *       the scope's {@code close()} on the same thread when that work returns, so that what a
 *       JDBC-level instrumentation records nests under the operation. Not called for an operation
 *       that never reached its work (cancelled while queued, refused at once), nor for the
 *       engine's composite operations ({@code engine.in_transaction}, {@code engine.run_sync}...),
 *       whose work is other operations;
 *   <li>{@link OperationObservation#stop} once, on the thread that completes the operation's future
 *       (see {@code EngineListener.operationCompleted} for which one).
 * </ol>
 *
 * <p><b>Must not block and should not throw.</b> An exception thrown by {@code start} is logged at
 * WARN on this interface's logger and the operation runs unobserved; one thrown by a scope or by
 * {@code stop} is logged and ignored. It never changes the operation's outcome.
 */
@FunctionalInterface
public interface OperationObserver {

  /** The kind a connect is observed as: from {@code connect()} to the connection borrowed, or the failure. */
  String CONNECTION_ACQUIRE = "connection.acquire";

  /**
   * An operation was submitted. Runs on the submitting thread.
   *
   * @param operation what is observed: kind, SQL, values, engine, database
   * @return the observation the engine opens scopes of and stops; never null (return
   *     {@link OperationObservation#NONE} to ignore an operation)
   */
  OperationObservation start(ObservedOperation operation);
}
