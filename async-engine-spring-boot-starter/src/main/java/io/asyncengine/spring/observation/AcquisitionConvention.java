package io.asyncengine.spring.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;

/**
 * A convention for connection acquisitions: named {@value DefaultAsyncEngineObservationConvention#CONNECTIONS_ACQUIRE},
 * everything else (contextual name, keys) as {@code delegate} says.
 */
final class AcquisitionConvention implements AsyncEngineObservationConvention {

  private final AsyncEngineObservationConvention delegate;

  AcquisitionConvention(AsyncEngineObservationConvention delegate) {
    this.delegate = delegate;
  }

  @Override
  public String getName() {
    return DefaultAsyncEngineObservationConvention.CONNECTIONS_ACQUIRE;
  }

  @Override
  public String getContextualName(AsyncEngineObservationContext context) {
    return delegate.getContextualName(context);
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(AsyncEngineObservationContext context) {
    return delegate.getLowCardinalityKeyValues(context);
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(AsyncEngineObservationContext context) {
    return delegate.getHighCardinalityKeyValues(context);
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return delegate.supportsContext(context);
  }
}
