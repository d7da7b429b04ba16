package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.metrics.AsyncEngineGateMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Meters in a SimpleMeterRegistry after real operations, and the health indicator on live and dead databases. */
class MetricsAndHealthTests {

  private static ApplicationContextRunner withMetrics(ApplicationContextRunner runner) {
    return runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
        DataSourcePoolMetricsAutoConfiguration.class));
  }

  @Test
  void gateGaugesFollowTheEngine() {
    withMetrics(Runners.sqlite()).withPropertyValues("async-engine.pool.max-size=3").run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection held = engine.connect().join();
      try {
        assertThat(registry.get("asyncengine.gate.in.use").tag("engine", "asyncEngine").gauge().value()).isEqualTo(1);
        assertThat(registry.get("asyncengine.gate.waiting").tag("engine", "asyncEngine").gauge().value()).isZero();
        assertThat(registry.get("asyncengine.gate.max").tag("engine", "asyncEngine").gauge().value()).isEqualTo(3);
      } finally {
        held.close().join();
      }
      assertThat(registry.get("asyncengine.gate.in.use").gauge().value()).isZero();
    });
  }

  @Test
  void hikariMetricsForTheZeroConfigurationPool() {
    withMetrics(Runners.sqlite()).run(context -> {
      context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join();
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("hikaricp.connections").tag("pool", "async-engine").gauge().value()).isPositive();
      assertThat(registry.get("hikaricp.connections.acquire").tag("pool", "async-engine").timer().count()).isPositive();
    });
  }

  @Test
  void hikariMetricsForTheEnginesOwnPool() {
    withMetrics(Runners.datasource(StarterDatabases.sqliteUrl("app.db")))
        .withPropertyValues("async-engine.url=" + StarterDatabases.require(StarterDatabases.POSTGRESQL),
            "async-engine.pool.name=starter-metrics", "async-engine.pool.max-size=2")
        .run(context -> {
          assertThat(context.getBean(EngineDataSource.class).owned()).isTrue();
          context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join();
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("hikaricp.connections.max").tag("pool", "starter-metrics").gauge().value()).isEqualTo(2);
          // runSync's future completes before its read transaction is rolled back; HikariCP times
          // the usage when the connection comes back, right after.
          long usageBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
          while (registry.get("hikaricp.connections.usage").tag("pool", "starter-metrics").timer().count() == 0
              && System.nanoTime() < usageBy) {
            Thread.sleep(5);
          }
          assertThat(registry.get("hikaricp.connections.usage").tag("pool", "starter-metrics").timer().count()).isPositive();
        });
  }

  @Test
  void noRegistryNoMeterBinder() {
    Runners.sqlite().run(context -> assertThat(context).doesNotHaveBean(AsyncEngineGateMeterBinder.class));
  }

  @Test
  void healthUpOnSqliteWithDetails() {
    Runners.sqlite().run(context -> {
      Health health = context.getBean("asyncEngineHealthContributor", HealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("executorMode", "platform").containsEntry("database", "sqlite")
          .containsEntry("gate.inUse", 0).containsEntry("pool.name", "async-engine").containsKey("pool.active");
    });
  }

  @Test
  void healthUpOnPostgresqlOnVirtualThreads() {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)).run(context -> {
      Health health = context.getBean("asyncEngineHealthContributor", HealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("executorMode", "virtual").containsEntry("database", "postgresql");
    });
  }

  @Test
  void healthDownWhenTheDatabaseIsUnreachable() {
    Runners.datasource(StarterDatabases.UNREACHABLE)
        .withPropertyValues("spring.datasource.hikari.connection-timeout=250", "async-engine.health.timeout=5s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Health health = context.getBean("asyncEngineHealthContributor", HealthIndicator.class).health(true);
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails()).containsKey("error").containsEntry("database", "postgresql");
        });
  }

  @Test
  void healthDownOnceTheEngineIsDisposed() {
    Runners.sqlite().run(context -> {
      context.getBean(AsyncEngine.class).dispose().join();
      Health health = context.getBean("asyncEngineHealthContributor", HealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    });
  }
}
