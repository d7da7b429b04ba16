package io.asyncengine.spring.health;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.AsyncEngineAutoConfiguration;
import io.asyncengine.spring.AsyncEngineProperties;
import io.asyncengine.spring.EngineDataSource;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code asyncEngine} health contributor: one {@link AsyncEngineHealthIndicator} for
 * a single engine bean, a composite keyed by bean name for several. Only with Spring Boot's health
 * module; {@code management.health.asyncengine.enabled=false} turns it off.
 */
@AutoConfiguration(after = AsyncEngineAutoConfiguration.class)
@ConditionalOnClass({ AsyncEngine.class, HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(AsyncEngine.class)
@ConditionalOnEnabledHealthIndicator("asyncengine")
@EnableConfigurationProperties(AsyncEngineProperties.class)
public final class AsyncEngineHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = { "asyncEngineHealthIndicator", "asyncEngineHealthContributor" })
  HealthContributor asyncEngineHealthContributor(Map<String, AsyncEngine> engines, AsyncEngineProperties properties,
      ObjectProvider<EngineDataSource> source) {
    EngineDataSource connections = source.getIfUnique();
    if (engines.size() == 1) {
      return new AsyncEngineHealthIndicator(engines.values().iterator().next(), properties.getHealth().getTimeout(),
          connections != null ? connections.hikari() : null);
    }
    return CompositeHealthContributor.fromMap(engines,
        engine -> new AsyncEngineHealthIndicator(engine, properties.getHealth().getTimeout(), null));
  }
}
