package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.observation.OperationObservation;
import io.asyncengine.observation.OperationScope;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/** One started Micrometer observation of an engine operation. */
final class MicrometerOperationObservation implements OperationObservation {

  private final Observation observation;
  private final AsyncEngineObservationContext context;

  MicrometerOperationObservation(Observation observation, AsyncEngineObservationContext context) {
    this.observation = observation;
    this.context = context;
  }

  @Override
  public OperationScope openScope() {
    Observation.Scope scope = observation.openScope();
    return scope::close;
  }

  /** A cancel is no error (the span is not marked failed); an error or a timeout is, with its exception. */
  @Override
  public void stop(OperationOutcome outcome, @Nullable Throwable failure) {
    context.setOutcome(outcome);
    if (failure != null && outcome != OperationOutcome.CANCELLED) {
      observation.error(failure);
    }
    observation.stop();
  }

  @Override
  public String toString() {
    return observation.toString();
  }
}
