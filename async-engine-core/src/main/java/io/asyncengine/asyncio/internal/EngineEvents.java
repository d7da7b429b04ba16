package io.asyncengine.asyncio.internal;

import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.internal.Futures;
import java.sql.SQLTimeoutException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link EngineListener}s, called safely: what one throws is logged at WARN and
 * ignored, so it never reaches the operation. An engine without listeners has no instance at all
 * (callers hold {@code null} and skip the clock), which keeps the unheard path to a field read and
 * a branch.
 *
 * <p>Thread-safe and immutable; its methods run on whichever thread ends the operation.
 */
public final class EngineEvents {

  private static final Logger LOG = LoggerFactory.getLogger(EngineListener.class);
  /** How deep the cause chain is searched for a timeout: translators wrap once or twice. */
  private static final int CAUSE_DEPTH = 8;

  private final EngineListener[] listeners;

  private EngineEvents(EngineListener[] listeners) {
    this.listeners = listeners;
  }

  /** The events of {@code listeners}, called in list order; {@code null} when there are none. */
  public static @Nullable EngineEvents of(List<EngineListener> listeners) {
    return listeners.isEmpty() ? null : new EngineEvents(listeners.toArray(EngineListener[]::new));
  }

  /**
   * Reports {@code operation} as one operation of {@code kind} begun at {@code startedNanos}
   * ({@link System#nanoTime()}), when it completes. Any thread; never blocks.
   *
   * @return {@code operation}
   */
  public <F extends CompletableFuture<?>> F timed(String kind, long startedNanos, F operation) {
    operation.whenComplete((value, failure) -> operationCompleted(kind, startedNanos, outcome(failure)));
    return operation;
  }

  /** Reports an operation of {@code kind} begun at {@code startedNanos} and ended now with {@code outcome}. */
  public void operationCompleted(String kind, long startedNanos, OperationOutcome outcome) {
    long nanos = System.nanoTime() - startedNanos;
    for (EngineListener listener : listeners) {
      try {
        listener.operationCompleted(kind, outcome, nanos);
      } catch (Throwable e) {
        LOG.warn("EngineListener {} threw from operationCompleted({}, {}); ignored", listener, kind, outcome, e);
      }
    }
  }

  /** Reports a connect that waited {@code gateWaitNanos} in the gate and {@code poolNanos} in the pool. */
  public void connectionAcquired(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {
    for (EngineListener listener : listeners) {
      try {
        listener.connectionAcquired(gateWaitNanos, poolNanos, outcome);
      } catch (Throwable e) {
        LOG.warn("EngineListener {} threw from connectionAcquired({}); ignored", listener, outcome, e);
      }
    }
  }

  /**
   * Reports that a transaction of {@code kind} failed with {@code failure} and runs again, as
   * attempt {@code nextAttempt}, after {@code backoffNanos}.
   */
  public void retryScheduled(String kind, int nextAttempt, Throwable failure, long backoffNanos) {
    for (EngineListener listener : listeners) {
      try {
        listener.retryScheduled(kind, nextAttempt, failure, backoffNanos);
      } catch (Throwable e) {
        LOG.warn("EngineListener {} threw from retryScheduled({}, {}); ignored", listener, kind, nextAttempt, e);
      }
    }
  }

  /**
   * How an operation that ended with {@code failure} ({@code null}: normally) ended: a cancellation
   * is {@link OperationOutcome#CANCELLED}; a failure that is or is caused by a statement timeout,
   * a pool timeout or JDBC's {@link SQLTimeoutException} is {@link OperationOutcome#TIMEOUT}
   * (causes count because a translator may wrap the engine's exception); anything else
   * {@link OperationOutcome#ERROR}.
   */
  public static OperationOutcome outcome(@Nullable Throwable failure) {
    if (failure == null) {
      return OperationOutcome.SUCCESS;
    }
    Throwable cause = Futures.unwrap(failure);
    if (cause instanceof CancellationException) {
      return OperationOutcome.CANCELLED;
    }
    for (int depth = 0; cause != null && depth < CAUSE_DEPTH; depth++, cause = cause.getCause()) {
      if (cause instanceof StatementTimeoutException || cause instanceof PoolTimeoutException
          || cause instanceof SQLTimeoutException) {
        return OperationOutcome.TIMEOUT;
      }
    }
    return OperationOutcome.ERROR;
  }
}
