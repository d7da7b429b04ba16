package io.asyncengine.asyncio.internal;

import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationObserver;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import io.asyncengine.core.Params;
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
 * The engine's {@link EngineListener}s and its {@link OperationObserver}, called safely: what one
 * throws is logged at WARN and ignored, so it never reaches the operation. The one measurement path
 * of the engine: an operation is begun as an {@link OperationProbe}, which ends it for listeners and
 * observer alike, with the same kind and the same outcome. An engine with neither listener nor
 * observer has no instance at all (callers hold {@code null} and skip the clock), which keeps the
 * unheard path to a field read and a branch.
 *
 * <p>Thread-safe and immutable; its methods run on whichever thread ends the operation.
 */
public final class EngineEvents {

  private static final Logger LOG = LoggerFactory.getLogger(EngineListener.class);
  private static final Logger OBSERVER_LOG = LoggerFactory.getLogger(OperationObserver.class);
  /** How deep the cause chain is searched for a timeout: translators wrap once or twice. */
  private static final int CAUSE_DEPTH = 8;

  private final EngineListener[] listeners;
  private final @Nullable OperationObserver observer;
  private final String engine;
  private final String databaseSystem;

  private EngineEvents(EngineListener[] listeners, @Nullable OperationObserver observer, String engine,
      String databaseSystem) {
    this.listeners = listeners;
    this.observer = observer;
    this.engine = engine;
    this.databaseSystem = databaseSystem;
  }

  /** The events of {@code listeners}, called in list order; {@code null} when there are none. */
  public static @Nullable EngineEvents of(List<EngineListener> listeners) {
    return of(listeners, null, "", "");
  }

  /**
   * The events of {@code listeners} (called in list order) and of {@code observer}; {@code null}
   * when there are neither.
   *
   * @param engine the engine's name, told to the observer
   * @param databaseSystem the dialect's name, told to the observer
   */
  public static @Nullable EngineEvents of(List<EngineListener> listeners, @Nullable OperationObserver observer,
      String engine, String databaseSystem) {
    if (listeners.isEmpty() && observer == null) {
      return null;
    }
    return new EngineEvents(listeners.toArray(EngineListener[]::new), observer, engine, databaseSystem);
  }

  /**
   * Reports {@code operation} as one operation of {@code kind} begun at {@code startedNanos}
   * ({@link System#nanoTime()}), when it completes; observed without a scope (a composite operation
   * of the engine, whose work is other operations). Call on the submitting thread; never blocks.
   *
   * @return {@code operation}
   */
  public <F extends CompletableFuture<?>> F timed(String kind, long startedNanos, F operation) {
    return new OperationProbe(this, kind, startedNanos, observe(kind, null, null)).attach(operation);
  }

  /**
   * Begins an operation of {@code kind} now: starts its clock and, with an observer, its
   * observation. Called on the submitting thread.
   *
   * @param sql the statement's text, or {@code null}
   * @param values the values bound to it: a {@link Params}, a {@code List<Params>} (a batch), the
   *     positional values' array, or {@code null} for none; turned into a list only when an observer is told
   */
  public OperationProbe begin(String kind, @Nullable String sql, @Nullable Object values) {
    return new OperationProbe(this, kind, System.nanoTime(), observe(kind, sql, values));
  }

  /** Whether an observer is installed (then values are worth collecting for it). */
  public boolean observes() {
    return observer != null;
  }

  /**
   * Starts the observer's observation of an operation, on the submitting thread; {@code null} when
   * there is no observer or it threw.
   */
  @Nullable OperationObservation observe(String kind, @Nullable String sql, @Nullable Object values) {
    OperationObserver watching = observer;
    if (watching == null) {
      return null;
    }
    try {
      return watching.start(new ObservedOperation(kind, sql, parameters(values), engine, databaseSystem));
    } catch (Throwable e) {
      OBSERVER_LOG.warn("OperationObserver {} threw from start({}); the operation runs unobserved", watching, kind, e);
      return null;
    }
  }

  /** Opens {@code observation}'s scope on this thread; a scope that does nothing when that throws. */
  static OperationScope open(OperationObservation observation) {
    try {
      OperationScope scope = observation.openScope();
      return () -> {
        try {
          scope.close();
        } catch (Throwable e) {
          OBSERVER_LOG.warn("OperationObservation {} threw closing its scope; ignored", observation, e);
        }
      };
    } catch (Throwable e) {
      OBSERVER_LOG.warn("OperationObservation {} threw from openScope(); ignored", observation, e);
      return OperationScope.NONE;
    }
  }

  /** Stops {@code observation} with {@code outcome}, logging what it throws. */
  static void stop(OperationObservation observation, OperationOutcome outcome, @Nullable Throwable failure) {
    try {
      observation.stop(outcome, failure == null ? null : Futures.unwrap(failure));
    } catch (Throwable e) {
      OBSERVER_LOG.warn("OperationObservation {} threw from stop({}); ignored", observation, outcome, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Params> parameters(@Nullable Object values) {
    if (values instanceof Params single) {
      return List.of(single);
    }
    if (values instanceof Object[] positional) {
      return List.of(Params.fromVarargs(positional));
    }
    if (values instanceof List<?> batch) {
      return (List<Params>) batch; // read-only, as the observer is told
    }
    return List.of();
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

  /**
   * Starts the observation of a connect (kind {@link OperationObserver#CONNECTION_ACQUIRE}) on the
   * caller's thread; {@code null} without an observer.
   */
  public @Nullable OperationObservation observeConnect() {
    return observe(OperationObserver.CONNECTION_ACQUIRE, null, null);
  }

  /**
   * Reports a connect refused at once with {@code failure} (the engine was disposed): to the
   * listeners, and to the observer as a connect started and stopped. On the calling thread.
   */
  public void connectRefused(Throwable failure) {
    OperationObservation observation = observeConnect();
    connectionAcquired(0, 0, OperationOutcome.ERROR);
    if (observation != null) {
      stop(observation, OperationOutcome.ERROR, failure);
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
