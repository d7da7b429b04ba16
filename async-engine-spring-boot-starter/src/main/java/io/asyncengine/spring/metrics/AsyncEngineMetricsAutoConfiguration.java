package io.asyncengine.spring.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.AsyncEngineAutoConfiguration;
import io.asyncengine.spring.AsyncEngineDataSourceAutoConfiguration;
import io.asyncengine.spring.observation.AsyncEngineObservationBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters for async-engine, only with Micrometer on the classpath and a
 * {@link MeterRegistry} bean: the timers {@code asyncengine.operations} and
 * {@code asyncengine.connections.acquire} for the engine the starter builds (a
 * {@link MicrometerEngineListener} installed by {@link AsyncEngineMetricsBuilderCustomizer}; with
 * the engine's Micrometer observations on, those two come from the observations and the listener
 * records only {@code asyncengine.connections.acquire.phase}), the
 * admission gate's gauges for every {@link AsyncEngine} bean, and HikariCP's
 * {@code MicrometerMetricsTrackerFactory} for the pools the starter creates (HikariCP measures its
 * pool; nothing here repeats it). Each bean backs off when the application defines its own.
 */
@AutoConfiguration(before = { AsyncEngineAutoConfiguration.class, AsyncEngineDataSourceAutoConfiguration.class },
    after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, AsyncEngine.class })
@ConditionalOnBean(MeterRegistry.class)
public final class AsyncEngineMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AsyncEngineMetricsBuilderCustomizer asyncEngineMetricsBuilderCustomizer(ObjectProvider<MeterRegistry> registry,
      ObjectProvider<AsyncEngineObservationBuilderCustomizer> observations) {
    // With observations, the operation and acquisition timers come from them: never measured twice.
    AsyncEngineObservationBuilderCustomizer observer = observations.getIfAvailable();
    return new AsyncEngineMetricsBuilderCustomizer(registry, observer != null && observer.installs());
  }

  @Bean
  @ConditionalOnMissingBean
  AsyncEngineGateMeterBinder asyncEngineGateMeterBinder(Map<String, AsyncEngine> engines) {
    return new AsyncEngineGateMeterBinder(engines);
  }

  /** HikariCP's tracker for the starter's pools, when HikariCP's Micrometer support is there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ HikariDataSource.class, MicrometerMetricsTrackerFactory.class })
  static class HikariMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HikariMetricsPoolCustomizer asyncEngineHikariMetrics(ObjectProvider<MeterRegistry> registry) {
      return new HikariMetricsPoolCustomizer(registry);
    }
  }
}
