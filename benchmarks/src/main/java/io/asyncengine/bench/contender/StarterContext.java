package io.asyncengine.bench.contender;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.spring.AsyncEngineAutoConfiguration;
import io.asyncengine.spring.AsyncEngineDataSourceAutoConfiguration;
import io.asyncengine.spring.metrics.AsyncEngineMetricsAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A minimal non-web Spring Boot application around the starter, the source of
 * {@link AsyncEngineContender#boot()}'s engine: Boot's {@code DataSource} auto-configuration for
 * {@code spring.datasource.url}, Boot's metrics with the {@code SimpleMeterRegistry} an application
 * without an export gets, and the starter's auto-configurations (Micrometer's context propagation is
 * on the classpath, so its propagator is installed too). Nothing is set but the database and the
 * pool, as every contender gets them: the starter chooses the executor mode (virtual threads for
 * PostgreSQL, platform lanes with virtual continuations for SQLite), the listener, the exception
 * translator and the propagators itself. Runs on the harness thread.
 */
final class StarterContext {

  private StarterContext() {}

  /**
   * Starts the application on {@code db} with a HikariCP pool of {@code poolSize} connections
   * (opened at once, the benchmark's connection timeout and driver properties, as
   * {@link BenchDatabase#hikari} sets them for the JDBC contenders).
   *
   * @return the starter's engine, owned by the context: closing the context disposes the engine,
   *     then closes the pool
   */
  static AsyncEngineContender.OpenEngine open(BenchDatabase db, int poolSize) {
    return open(db, poolSize, Map.of());
  }

  /**
   * As {@link #open(BenchDatabase, int)}, with {@code overrides} (such as
   * {@code async-engine.executor.mode}) set on top: to measure what one of the starter's defaults costs.
   */
  static AsyncEngineContender.OpenEngine open(BenchDatabase db, int poolSize, Map<String, Object> overrides) {
    Map<String, Object> properties = properties(db, poolSize);
    properties.putAll(overrides);
    ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .properties(properties)
        .run();
    try {
      // The session factory is the starter's too: its presence shows the starter configured itself fully.
      context.getBean(AsyncSessionFactory.class);
      return new AsyncEngineContender.OpenEngine(context.getBean(AsyncEngine.class), context);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** The application's properties: the database and the pool only. */
  static Map<String, Object> properties(BenchDatabase db, int poolSize) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", db.jdbcUrl());
    properties.put("spring.datasource.hikari.pool-name", "async-engine/boot");
    properties.put("spring.datasource.hikari.maximum-pool-size", poolSize);
    properties.put("spring.datasource.hikari.minimum-idle", poolSize);
    properties.put("spring.datasource.hikari.connection-timeout", 60_000);
    // Bracketed keys, so that names like busy_timeout bind unchanged.
    db.driverProperties().forEach((name, value) ->
        properties.put("spring.datasource.hikari.data-source-properties[" + name + "]", value));
    return properties;
  }

  /** The application: the auto-configurations named above, nothing scanned. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, MetricsAutoConfiguration.class,
      SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
      AsyncEngineMetricsAutoConfiguration.class, AsyncEngineDataSourceAutoConfiguration.class,
      AsyncEngineAutoConfiguration.class })
  static class Application {}
}
