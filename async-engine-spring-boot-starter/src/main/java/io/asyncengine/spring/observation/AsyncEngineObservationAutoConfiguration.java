package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.AsyncEngineAutoConfiguration;
import io.asyncengine.spring.AsyncEngineDataSourceAutoConfiguration;
import io.asyncengine.spring.AsyncEngineProperties;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer Observations for async-engine, only with micrometer-observation on the classpath, an
 * {@link ObservationRegistry} bean (Boot's observation auto-configuration makes one) and
 * {@code async-engine.observations.enabled} not {@code false}: the engine the starter builds gets a
 * {@link MicrometerOperationObserver}, so each of its operations and connection acquisitions is an
 * observation (a timer through Boot's meter handler, a span through a tracing bridge). Backs off
 * when the application defines its own {@link AsyncEngineObservationBuilderCustomizer}; uses the
 * application's {@link AsyncEngineObservationConvention} bean when there is one.
 */
@AutoConfiguration(before = { AsyncEngineAutoConfiguration.class, AsyncEngineDataSourceAutoConfiguration.class },
    afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, AsyncEngine.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "async-engine.observations.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncEngineProperties.class)
public final class AsyncEngineObservationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AsyncEngineObservationBuilderCustomizer asyncEngineObservationBuilderCustomizer(
      ObjectProvider<ObservationRegistry> registry, ObjectProvider<AsyncEngineObservationConvention> convention,
      AsyncEngineProperties properties) {
    return new AsyncEngineObservationBuilderCustomizer(registry, convention,
        properties.getObservations().isIncludeParameters());
  }
}
