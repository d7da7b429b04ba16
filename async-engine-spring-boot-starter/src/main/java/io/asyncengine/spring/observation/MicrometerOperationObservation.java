package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import io.micrometer.observation.Observation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One started Micrometer observation of an engine operation.
 *
 * <p>A cancel or a deadline completes the operation's future while its statement may still run on
 * the lane, inside this observation's scope. Micrometer wants a scope closed before its
 * observation stops, so a stop that comes while a scope is open is carried out by the last scope to
 * close: the observation then ends when the JDBC work has really stopped. Invariant: the
 * observation is stopped exactly once, by whichever of {@link #stop} and the last scope's close
 * sees the other ({@link #stopRequested} is written before {@link #open} is read, and {@link #open}
 * before {@link #stopRequested}); no scope opens after a stop was requested.
 */
final class MicrometerOperationObservation implements OperationObservation {

  private final Observation observation;
  private final AsyncEngineObservationContext context;
  /** Scopes open now. */
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean stopRequested;
  private final AtomicBoolean stopped = new AtomicBoolean();

  MicrometerOperationObservation(Observation observation, AsyncEngineObservationContext context) {
    this.observation = observation;
    this.context = context;
  }

  @Override
  public OperationScope openScope() {
    open.incrementAndGet();
    if (stopRequested) {
      closed(); // ended before its work started: no scope of a stopped observation
      return OperationScope.NONE;
    }
    Observation.Scope scope = observation.openScope();
    return () -> {
      scope.close();
      closed();
    };
  }

  private void closed() {
    if (open.decrementAndGet() == 0 && stopRequested) {
      finish();
    }
  }

  /** A cancel is no error (the span is not marked failed); an error or a timeout is, with its exception. */
  @Override
  public void stop(OperationOutcome outcome, @Nullable Throwable failure) {
    context.setOutcome(outcome);
    if (failure != null && outcome != OperationOutcome.CANCELLED) {
      observation.error(failure);
    }
    stopRequested = true;
    if (open.get() == 0) {
      finish();
    }
  }

  private void finish() {
    if (stopped.compareAndSet(false, true)) {
      observation.stop();
    }
  }

  @Override
  public String toString() {
    return observation.toString();
  }
}
