package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationOutcome;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The context of one async-engine observation: the operation as the engine described it when it
 * started, whether its parameter values may be recorded, and, once it ended, its outcome. What an
 * {@link AsyncEngineObservationConvention} reads its names and keys from.
 *
 * <p>Made on the thread that submits the operation; the outcome is set on the thread that ends it,
 * before the observation stops.
 */
public class AsyncEngineObservationContext extends Observation.Context {

  private final ObservedOperation operation;
  private final boolean includeParameters;
  private volatile @Nullable OperationOutcome outcome;

  /**
   * A context for {@code operation}.
   *
   * @param includeParameters whether the convention may record the parameter values
   * @throws NullPointerException when {@code operation} is null
   */
  public AsyncEngineObservationContext(ObservedOperation operation, boolean includeParameters) {
    this.operation = Objects.requireNonNull(operation, "operation must not be null");
    this.includeParameters = includeParameters;
  }

  /** The operation: kind, SQL text, parameter values, engine name, database system. */
  public ObservedOperation getOperation() {
    return operation;
  }

  /** Whether the parameter values may be recorded ({@code async-engine.observations.include-parameters}). */
  public boolean isIncludeParameters() {
    return includeParameters;
  }

  /** How the operation ended, or {@code null} while it runs. */
  public @Nullable OperationOutcome getOutcome() {
    return outcome;
  }

  /** Records how the operation ended; called by the observer just before it stops the observation. */
  public void setOutcome(@Nullable OperationOutcome outcome) {
    this.outcome = outcome;
  }
}
