package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.AsyncEngineBuilderCustomizer;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Installs a {@link MicrometerOperationObserver} on the engine the starter builds, with the
 * application's {@link AsyncEngineObservationConvention} when it defines one. Its presence also
 * tells the metrics auto-configuration that the {@code asyncengine.operations} timer comes from the
 * observations. When there is no single {@link ObservationRegistry}, the engine gets no observer and
 * pays nothing. Runs once, on the thread that creates the engine bean.
 */
public final class AsyncEngineObservationBuilderCustomizer implements AsyncEngineBuilderCustomizer {

  private final ObjectProvider<ObservationRegistry> registry;
  private final ObjectProvider<AsyncEngineObservationConvention> convention;
  private final boolean includeParameters;

  /**
   * @param registry the registry to observe into
   * @param convention the application's convention, if it defines one
   * @param includeParameters whether parameter values are recorded ({@code db.params})
   */
  public AsyncEngineObservationBuilderCustomizer(ObjectProvider<ObservationRegistry> registry,
      ObjectProvider<AsyncEngineObservationConvention> convention, boolean includeParameters) {
    this.registry = registry;
    this.convention = convention;
    this.includeParameters = includeParameters;
  }

  /** Whether {@link #customize} installs an observer: there is a single {@link ObservationRegistry}. */
  public boolean installs() {
    return registry.getIfUnique() != null;
  }

  @Override
  public void customize(AsyncEngine.Builder builder) {
    ObservationRegistry observations = registry.getIfUnique();
    if (observations != null) {
      @Nullable AsyncEngineObservationConvention custom = convention.getIfUnique();
      builder.observer(new MicrometerOperationObserver(observations, custom, includeParameters));
    }
  }
}
