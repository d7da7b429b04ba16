package io.asyncengine.spring.metrics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.asyncengine.spring.AsyncEnginePoolCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Gives every pool the starter creates HikariCP's own Micrometer tracker, so it reports
 * {@code hikaricp.connections.*} like the pools Boot creates (Boot binds only {@code DataSource}
 * beans, and the engine's private pool is not one). Runs on the thread creating the pool.
 */
public final class HikariMetricsPoolCustomizer implements AsyncEnginePoolCustomizer {

  private final ObjectProvider<MeterRegistry> registry;

  /** @param registry the registry to report to; when there is none, the pool is left without metrics */
  public HikariMetricsPoolCustomizer(ObjectProvider<MeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public void customize(HikariConfig config) {
    MeterRegistry meters = registry.getIfUnique();
    if (meters != null && config.getMetricsTrackerFactory() == null && config.getMetricRegistry() == null) {
      config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }
  }
}
