package io.asyncengine.asyncio.internal;

import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One operation measured for an engine's {@link EngineEvents}: its start time for the listeners and
 * its observation for the observer, both ended by one call with one outcome, so listeners and
 * observer always agree on what an operation was and how it ended. Made on the submitting thread
 * by {@link EngineEvents#begin}; exists only when the engine has a listener or an observer.
 *
 * <p>Ends once: as the completion of the future it is {@link #attach attached} to, or by a single
 * {@link #end(OperationOutcome, Throwable)} call (a stream's end).
 */
public final class OperationProbe implements BiConsumer<@Nullable Object, @Nullable Throwable> {

  private final EngineEvents events;
  private final String kind;
  private final long started;
  /** {@code null} without an observer (or when the observer's {@code start} threw). */
  private final @Nullable OperationObservation observation;

  OperationProbe(EngineEvents events, String kind, long started, @Nullable OperationObservation observation) {
    this.events = events;
    this.kind = kind;
    this.started = started;
    this.observation = observation;
  }

  /** Whether an observer watches this operation (then {@link #scoped} wraps). */
  public boolean observed() {
    return observation != null;
  }

  /**
   * {@code body} run inside this operation's scope on the thread that runs it; {@code body} itself
   * when nothing observes the operation.
   */
  public <T extends @Nullable Object> Callable<T> scoped(Callable<T> body) {
    OperationObservation watching = observation;
    if (watching == null) {
      return body;
    }
    return () -> {
      try (OperationScope scope = EngineEvents.open(watching)) {
        return body.call();
      }
    };
  }

  /**
   * Opens this operation's scope on the calling thread ({@link OperationScope#NONE} when nothing
   * observes it); the caller closes it on the same thread.
   */
  public OperationScope openScope() {
    OperationObservation watching = observation;
    return watching == null ? OperationScope.NONE : EngineEvents.open(watching);
  }

  /** Ends this operation when {@code operation} completes, judged by its failure. Returns {@code operation}. */
  public <F extends CompletableFuture<?>> F attach(F operation) {
    operation.whenComplete(this);
    return operation;
  }

  @Override
  public void accept(@Nullable Object value, @Nullable Throwable failure) {
    end(EngineEvents.outcome(failure), failure);
  }

  /** Ends this operation now with {@code outcome}: the listeners hear it, the observation stops. Any thread. */
  public void end(OperationOutcome outcome, @Nullable Throwable failure) {
    events.operationCompleted(kind, started, outcome);
    OperationObservation watching = observation;
    if (watching != null) {
      EngineEvents.stop(watching, outcome, failure);
    }
  }
}
