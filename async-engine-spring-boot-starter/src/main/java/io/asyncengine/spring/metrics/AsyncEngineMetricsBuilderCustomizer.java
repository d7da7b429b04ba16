package io.asyncengine.spring.metrics;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.AsyncEngineBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Installs a {@link MicrometerEngineListener} on the engine the starter builds, tagged
 * {@code engine=asyncEngine} (the bean's name), so that its operations and connects are timed.
 * When there is no single {@link MeterRegistry}, the engine gets no listener and pays nothing.
 * Runs once, on the thread that creates the engine bean.
 */
public final class AsyncEngineMetricsBuilderCustomizer implements AsyncEngineBuilderCustomizer {

  /** The name of the starter's engine bean, the {@code engine} tag of its timers. */
  static final String ENGINE_BEAN = "asyncEngine";

  private final ObjectProvider<MeterRegistry> registry;
  private final boolean observed;

  /** @param registry the registry to record to */
  public AsyncEngineMetricsBuilderCustomizer(ObjectProvider<MeterRegistry> registry) {
    this(registry, false);
  }

  /**
   * @param registry the registry to record to
   * @param observed whether the engine's observations make the operation and acquisition timers
   *     (the listener then records only the acquisition phases, see {@link MicrometerEngineListener})
   */
  public AsyncEngineMetricsBuilderCustomizer(ObjectProvider<MeterRegistry> registry, boolean observed) {
    this.registry = registry;
    this.observed = observed;
  }

  @Override
  public void customize(AsyncEngine.Builder builder) {
    MeterRegistry meters = registry.getIfUnique();
    if (meters != null) {
      builder.listener(new MicrometerEngineListener(meters, ENGINE_BEAN, observed));
    }
  }
}
