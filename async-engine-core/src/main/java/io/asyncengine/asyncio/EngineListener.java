package io.asyncengine.asyncio;

/**
 * Hears what an {@link AsyncEngine} does, for metrics and tracing: every operation of its async
 * facade once it ends, and every connect once it has a connection or has failed. Installed with
 * {@link AsyncEngine.Builder#listener} or {@link AsyncEngine#wrap(io.asyncengine.core.Engine, EngineListener)};
 * it applies to the engine and all its {@code withOptions} views. Every method does nothing by
 * default.
 *
 * <p><b>Must not block and must not throw.</b> They run on engine threads, on the path that
 * completes the operation. An exception a listener throws is logged at WARN on this interface's
 * logger ({@code io.asyncengine.asyncio.EngineListener}) and ignored: it never changes or delays
 * the operation's outcome.
 *
 * <p>With no listener installed, the facade pays one field read and one branch per operation and
 * per connect: no clock reads and no allocation. An {@link OperationObserver} is fed by the same
 * measurement: it observes the same operations, with the same kinds and outcomes.
 *
 * <p>Operation kinds are a fixed set of lowercase strings, low in cardinality, fit for a metric
 * tag:
 * <ul>
 *   <li>{@link AsyncConnection}: {@code connection.execute}, {@code connection.execute_many},
 *       {@code connection.scalar}, {@code connection.scalars}, {@code connection.stream} (one
 *       subscription, from {@code subscribe} to its end), {@code connection.begin},
 *       {@code connection.begin_nested}, {@code connection.commit}, {@code connection.rollback},
 *       {@code connection.run_sync}, {@code connection.isolation} ({@code isolationLevel} and
 *       {@code withIsolation}); {@link AsyncTransaction}'s {@code commit} is
 *       {@code connection.commit}, its {@code rollback} and {@code close} are
 *       {@code connection.rollback}. {@code close()} and {@code invalidate()} are not reported:
 *       they give the connection back, the engine issues them itself after each of its own
 *       operations, and a connect is reported through {@link #connectionAcquired}.
 *   <li>{@link AsyncEngine}: {@code engine.in_transaction}, {@code engine.run_sync},
 *       {@code engine.run_sync_in_transaction}, each from the call to its future's completion,
 *       connect, commit or rollback and close included. The connection operations they run
 *       ({@code connection.begin}, {@code connection.run_sync}, and the callback's) are reported
 *       as well; the commit or rollback that ends {@code inTransaction} is not reported apart.
 *   <li>{@link AsyncSession} (its transactions' {@code commit} and {@code rollback} too):
 *       {@code session.get}, {@code session.get_one}, {@code session.flush},
 *       {@code session.commit}, {@code session.rollback}, {@code session.refresh},
 *       {@code session.merge}, {@code session.execute}, {@code session.scalar},
 *       {@code session.scalars}, {@code session.stream}, {@code session.begin},
 *       {@code session.begin_nested}, {@code session.run_sync},
 *       {@code session.without_autoflush}. Each runs as one {@code connection.run_sync} on the
 *       session's connection, reported as well; a session stream is reported once, as
 *       {@code session.stream}. The operations without I/O ({@code add}, {@code delete}, ...) are
 *       not reported, nor are {@link AsyncSessionFactory}'s {@code inTransaction} and
 *       {@code runInTransaction} apart from the session operations they run.
 * </ul>
 */
public interface EngineListener {

  /**
   * An operation ended. Called once per operation, after its future completed (a stream: when the
   * subscription ended, before the subscriber's last signal), on the thread that ended it: the
   * connection's lane thread when the work ran to its end; the cancelling thread for a cancel; the
   * engine's timer thread for a {@code timeout(Duration)}; the disposal thread for work aborted at
   * disposal; the calling thread for an operation refused at once (a doomed connection, a closed
   * or busy session).
   *
   * @param kind one of the kinds listed on this interface
   * @param outcome how it ended
   * @param nanos time from the call (a stream: the subscription) to the end, in nanoseconds
   */
  default void operationCompleted(String kind, OperationOutcome outcome, long nanos) {}

  /**
   * A connect ended: once per {@link AsyncEngine#connect()}, including those the engine and its
   * sessions make themselves. Called when the connect's future completed: on the engine thread
   * that borrowed the connection; on the engine's timer thread when the wait in the admission gate
   * timed out; on the cancelling thread for a cancel; on the disposal thread for a connect aborted
   * at disposal; on the calling thread when the engine was already disposed.
   *
   * @param gateWaitNanos time from {@code connect()} to admission by the gate (or to the end, when
   *     it never got past the gate)
   * @param poolNanos time from admission to the connection borrowed from the pool (or to the end
   *     of a borrow that failed or was cancelled); 0 when it never got past the gate
   * @param outcome {@link OperationOutcome#SUCCESS}, {@link OperationOutcome#TIMEOUT} (the gate's
   *     or the pool's timeout), {@link OperationOutcome#CANCELLED}, or {@link OperationOutcome#ERROR}
   *     (database unreachable, engine disposed)
   */
  default void connectionAcquired(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {}

  /**
   * A transaction run under a {@code RetryPolicy} failed with a failure the policy retries, and
   * will run again after {@code backoffNanos}. Each attempt is also reported as an operation of its
   * own kind ({@code engine.in_transaction}; the session operations of an
   * {@link AsyncSessionFactory} transaction), so the attempts of one transaction are its retries
   * plus one. Called on the thread that ended the failed attempt, before the backoff starts; not
   * called for the last failure, which ends the transaction.
   *
   * @param kind {@code engine.in_transaction} ({@link AsyncEngine}) or
   *     {@code session_factory.in_transaction} ({@link AsyncSessionFactory}, both its
   *     {@code inTransaction} and {@code runInTransaction})
   * @param nextAttempt the number of the attempt about to be made: 2 for the first retry
   * @param failure what the failed attempt threw (a {@code SerializationFailureException}, or a
   *     {@code ConnectionLostException} under an idempotent policy)
   * @param backoffNanos the wait before the next attempt, in nanoseconds
   */
  default void retryScheduled(String kind, int nextAttempt, Throwable failure, long backoffNanos) {}
}
