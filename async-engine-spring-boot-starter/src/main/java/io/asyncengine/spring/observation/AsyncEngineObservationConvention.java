package io.asyncengine.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and keys of async-engine's observations. Define a bean of this type to change them
 * (the starter's {@link DefaultAsyncEngineObservationConvention} then steps aside); extending the
 * default and overriding one method is the usual way.
 */
public interface AsyncEngineObservationConvention extends ObservationConvention<AsyncEngineObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof AsyncEngineObservationContext;
  }
}
