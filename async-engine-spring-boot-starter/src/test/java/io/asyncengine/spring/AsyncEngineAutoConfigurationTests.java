package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.spring.health.AsyncEngineHealthIndicator;
import io.asyncengine.spring.metrics.AsyncEngineGateMeterBinder;
import io.asyncengine.spring.jdbc.SpringExceptionTranslator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Every condition and property of the auto-configuration, on real databases. */
@ExtendWith(OutputCaptureExtension.class)
class AsyncEngineAutoConfigurationTests {

  // --- beans and the zero-configuration default -------------------------------------------------

  @Test
  void zeroConfigurationGivesBothBeansOnAnSqliteFile() {
    Path file = StarterDatabases.sqliteFile();
    Runners.runner().withPropertyValues("async-engine.sqlite.path=" + file).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).hasSingleBean(AsyncSessionFactory.class)
          .hasSingleBean(DataSource.class).hasSingleBean(EngineDataSource.class);
      assertThat(context.getBean(DataSource.class)).isInstanceOf(DefaultDataSource.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(engine.dialect().name()).isEqualTo("sqlite");
      Integer one = engine.runSync(c -> c.scalar(Integer.class, "select 1")).join();
      assertThat(one).isEqualTo(1);
      assertThat(Files.exists(file)).isTrue();
    });
  }

  @Test
  void zeroConfigurationPoolHasTheCoreSqlitePragmas() {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      String journal = engine.runSync(c -> c.scalar(String.class, "pragma journal_mode")).join();
      Integer foreignKeys = engine.runSync(c -> c.scalar(Integer.class, "pragma foreign_keys")).join();
      assertThat(journal).isEqualToIgnoringCase("wal");
      assertThat(foreignKeys).isEqualTo(1);
    });
  }

  @Test
  void sqliteRunsOnPlatformThreadsAndSaysWhy(CapturedOutput output) {
    Runners.sqlite().run(context -> {
      assertThat(context.getBean(AsyncEngine.class).executorMode()).isEqualTo(ExecutorMode.PLATFORM);
      assertThat(output).contains("runs database work on platform threads: SQLite's native calls");
    });
  }

  @Test
  void sqliteContinuationsAndSessionResultsArriveOnVirtualThreads(CapturedOutput output) {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncSessionFactory sessions = context.getBean(AsyncSessionFactory.class);
      assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 1"))
          .thenApply(one -> Thread.currentThread().isVirtual()).join()).isTrue();
      assertThat(engine.connect().thenCompose(conn -> conn.scalar(Integer.class, "select 1")
          .thenApply(one -> Thread.currentThread().isVirtual())
          .thenCompose(virtual -> conn.close().thenApply(closed -> virtual))).join()).isTrue();
      assertThat(sessions.runInTransaction(session -> session.execute("select 1"))
          .thenApply(result -> Thread.currentThread().isVirtual()).join()).isTrue();
      assertThat(output).contains("continuations run on virtual threads");
    });
  }

  @Test
  void sqliteContinuationsStayOnTheLaneWhenTurnedOff() {
    Runners.sqlite().withPropertyValues("async-engine.executor.virtual-continuations=false").run(context ->
        assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1"))
            .thenApply(one -> Thread.currentThread().getName()).join()).startsWith("async-engine-platform-"));
  }

  @Test
  void postgresqlRunsOnVirtualThreadsAndSaysWhy(CapturedOutput output) {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)).run(context -> {
      assertThat(context.getBean(AsyncEngine.class).executorMode()).isEqualTo(ExecutorMode.VIRTUAL);
      assertThat(output).contains("runs database work on virtual threads: postgresql uses a socket driver");
    });
  }

  @Test
  void explicitExecutorModeWinsOnPostgresql(CapturedOutput output) {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL))
        .withPropertyValues("async-engine.executor.mode=platform").run(context -> {
          assertThat(context.getBean(AsyncEngine.class).executorMode()).isEqualTo(ExecutorMode.PLATFORM);
          assertThat(output).contains("set by async-engine.executor.mode");
        });
  }

  @Test
  void explicitExecutorModeWinsOnSqlite() {
    Runners.sqlite().withPropertyValues("async-engine.executor.mode=virtual").run(context ->
        assertThat(context.getBean(AsyncEngine.class).executorMode()).isEqualTo(ExecutorMode.VIRTUAL));
  }

  @Test
  void disabledGivesNoBeans() {
    Runners.datasource(StarterDatabases.sqliteUrl("x.db"))
        .withPropertyValues("async-engine.enabled=false").run(context -> {
          assertThat(context).doesNotHaveBean(AsyncEngine.class).doesNotHaveBean(AsyncSessionFactory.class)
              .doesNotHaveBean(EngineDataSource.class).doesNotHaveBean(AsyncEngineLifecycle.class)
              .doesNotHaveBean(HealthContributor.class);
          assertThat(context.getBean(DataSource.class)).isNotInstanceOf(DefaultDataSource.class);
        });
  }

  // --- wrapping the application's DataSource ------------------------------------------------------

  @Test
  void wrapsSpringDatasourceUrlPoolAndLeavesItToBoot() {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)).run(context -> {
      DataSource boot = context.getBean(DataSource.class);
      assertThat(boot).isInstanceOf(HikariDataSource.class).isNotInstanceOf(DefaultDataSource.class);
      EngineDataSource source = context.getBean(EngineDataSource.class);
      assertThat(source.owned()).isFalse();
      assertThat(source.dataSource()).isSameAs(boot);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(engine.gateStats().maxConcurrency()).isEqualTo(4); // the Boot pool's size
      assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
    });
  }

  @Test
  void wrapsADataSourceBeanAndNeverClosesIt() {
    AtomicReference<HikariDataSource> pool = new AtomicReference<>();
    Runners.runner().withBean(DataSource.class, () -> {
      HikariDataSource hikari = new HikariDataSource();
      hikari.setJdbcUrl(StarterDatabases.sqliteUrl("own.db"));
      hikari.setMaximumPoolSize(3);
      pool.set(hikari);
      return hikari;
    }, definition -> definition.setDestroyMethodName("")).run(context -> {
      assertThat(context.getBean(EngineDataSource.class).dataSource()).isSameAs(pool.get());
      assertThat(context.getBean(AsyncEngine.class).gateStats().maxConcurrency()).isEqualTo(3);
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 2")).join())
          .isEqualTo(2);
    });
    assertThat(pool.get().isClosed()).isFalse();
    pool.get().close();
  }

  @Test
  void wrapsANonHikariDataSourceDetectingItsDatabase() {
    String url = StarterDatabases.sqliteUrl("plain.db");
    Runners.runner().withBean(DataSource.class, () -> new SimpleDriverDataSource(new org.sqlite.JDBC(), url))
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          assertThat(engine.dialect().name()).isEqualTo("sqlite");
          assertThat(context.getBean(EngineDataSource.class).hikari()).isNull();
        });
  }

  @Test
  void findsHikariBehindAProxyThroughUnwrap() {
    AtomicReference<HikariDataSource> pool = new AtomicReference<>();
    Runners.runner().withBean(DataSource.class, () -> {
      HikariDataSource hikari = new HikariDataSource();
      hikari.setJdbcUrl(StarterDatabases.sqliteUrl("proxied.db"));
      hikari.setMaximumPoolSize(3);
      hikari.setConnectionTimeout(1500);
      pool.set(hikari);
      return new org.springframework.jdbc.datasource.DelegatingDataSource(hikari);
    }).run(context -> {
      EngineDataSource source = context.getBean(EngineDataSource.class);
      assertThat(source.dataSource()).isNotInstanceOf(HikariDataSource.class);
      assertThat(source.hikari()).isSameAs(pool.get());
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(engine.gateStats().maxConcurrency()).isEqualTo(3);
      assertThat(engine.dialect().name()).isEqualTo("sqlite");
    });
    pool.get().close();
  }

  @Test
  void wrapsTheDataSourceBootBuildsFromJdbcConnectionDetails() {
    String url = StarterDatabases.require(StarterDatabases.POSTGRESQL);
    org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails details =
        new org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails() {
          @Override
          public String getUsername() {
            return null;
          }

          @Override
          public String getPassword() {
            return null;
          }

          @Override
          public String getJdbcUrl() {
            return url;
          }
        };
    Runners.runner().withBean(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class, () -> details)
        .run(context -> {
          assertThat(context).doesNotHaveBean(DefaultDataSource.class);
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          assertThat(engine.dialect().name()).isEqualTo("postgresql");
          assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 4")).join()).isEqualTo(4);
        });
  }

  @Test
  void wrapsThePrimaryOfSeveralDataSources() {
    Runners.runner().withUserConfiguration(TwoDataSources.class, PrimaryFirst.class).run(context -> {
      assertThat(context.getBean(EngineDataSource.class).dataSource()).isSameAs(context.getBean("first"));
      assertThat(context).hasSingleBean(AsyncEngine.class);
    });
  }

  @Test
  void severalDataSourcesWithoutPrimaryGiveNoEngine() {
    Runners.runner().withUserConfiguration(TwoDataSources.class).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(AsyncEngine.class).doesNotHaveBean(AsyncSessionFactory.class);
    });
  }

  @Test
  void engineUrlWithAnApplicationDataSourceGivesTheEngineItsOwnPoolClosedAfterIt() {
    AtomicReference<HikariDataSource> owned = new AtomicReference<>();
    AtomicReference<AsyncEngine> engine = new AtomicReference<>();
    String appUrl = StarterDatabases.sqliteUrl("app.db");
    Runners.datasource(appUrl)
        .withPropertyValues("async-engine.url=" + StarterDatabases.require(StarterDatabases.POSTGRESQL),
            "async-engine.pool.max-size=3", "async-engine.pool.name=starter-own")
        .run(context -> {
          EngineDataSource source = context.getBean(EngineDataSource.class);
          assertThat(source.owned()).isTrue();
          assertThat(source.dataSource()).isNotSameAs(context.getBean(DataSource.class));
          owned.set(source.hikari());
          engine.set(context.getBean(AsyncEngine.class));
          assertThat(owned.get().getPoolName()).isEqualTo("starter-own");
          assertThat(owned.get().getMaximumPoolSize()).isEqualTo(3);
          assertThat(engine.get().dialect().name()).isEqualTo("postgresql");
          assertThat(engine.get().executorMode()).isEqualTo(ExecutorMode.VIRTUAL);
        });
    assertThat(engine.get().isDisposed()).isTrue();
    assertThat(owned.get().isClosed()).isTrue();
  }

  @Test
  void engineUrlWithoutAnApplicationDataSourceBecomesTheDataSource() {
    Runners.runner().withPropertyValues("async-engine.url=" + StarterDatabases.require(StarterDatabases.MARIADB))
        .run(context -> {
          assertThat(context.getBean(DataSource.class)).isInstanceOf(DefaultDataSource.class);
          assertThat(context.getBean(EngineDataSource.class).owned()).isFalse();
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          assertThat(engine.dialect().name()).isEqualTo("mariadb");
          assertThat(engine.executorMode()).isEqualTo(ExecutorMode.VIRTUAL);
        });
  }

  // --- back-off ---------------------------------------------------------------------------------

  @Test
  void backsOffForAnApplicationEngineAndBuildsTheFactoryOnIt() {
    AsyncEngine own = AsyncEngine.builder().url(StarterDatabases.sqliteUrl("mine.db")).build();
    Runners.sqlite().withBean("myEngine", AsyncEngine.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class);
      assertThat(context.getBean(AsyncEngine.class)).isSameAs(own);
      assertThat(context.getBean(AsyncSessionFactory.class).engine()).isSameAs(own);
    });
    assertThat(own.isDisposed()).isTrue();
  }

  @Test
  void backsOffForAnApplicationSessionFactory() {
    Runners.sqlite().withUserConfiguration(OwnFactory.class).run(context -> {
      assertThat(context).hasSingleBean(AsyncSessionFactory.class);
      assertThat(context.getBean(AsyncSessionFactory.class).expireOnCommit()).isFalse();
    });
  }

  @Test
  void backsOffForAnApplicationExceptionTranslator() {
    ExceptionTranslator mine = (operation, sql, parameters, ex) -> new IllegalStateException("mine", ex);
    Runners.sqlite().withBean(ExceptionTranslator.class, () -> mine).run(context -> {
      assertThat(context).hasSingleBean(ExceptionTranslator.class).doesNotHaveBean(SpringExceptionTranslator.class);
      assertThat(context.getBean(AsyncEngine.class).sync().config().exceptionTranslator()).isSameAs(mine);
    });
  }

  @Test
  void backsOffForAnApplicationLifecycleAndConnectionSource() {
    String url = StarterDatabases.sqliteUrl("src.db");
    EngineDataSource mine = EngineDataSource.wrapping(new SimpleDriverDataSource(new org.sqlite.JDBC(), url));
    AsyncEngineLifecycle lifecycle = new AsyncEngineLifecycle(null);
    Runners.sqlite().withBean(EngineDataSource.class, () -> mine)
        .withBean("myLifecycle", AsyncEngineLifecycle.class, () -> lifecycle).run(context -> {
          assertThat(context.getBean(EngineDataSource.class)).isSameAs(mine);
          assertThat(context.getBean(AsyncEngineLifecycle.class)).isSameAs(lifecycle);
          assertThat(context.getBean(AsyncEngine.class).sync().dataSource()).isSameAs(mine.dataSource());
        });
  }

  @Test
  void builderCustomizersRunLast() {
    Runners.sqlite().withPropertyValues("async-engine.executor.max-concurrency=2")
        .withBean(AsyncEngineBuilderCustomizer.class, () -> builder -> builder.maxConcurrency(5))
        .run(context -> assertThat(context.getBean(AsyncEngine.class).gateStats().maxConcurrency()).isEqualTo(5));
  }

  // --- properties reaching the engine -----------------------------------------------------------

  @Test
  void engineProperties() {
    Runners.sqlite().withPropertyValues("async-engine.statement-timeout=7s", "async-engine.isolation-level=serializable",
        "async-engine.echo=true", "async-engine.statement-cache-size=5", "async-engine.executor.max-concurrency=3")
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          assertThat(engine.sync().config().options().statementTimeout()).isEqualTo(Duration.ofSeconds(7));
          assertThat(engine.sync().config().options().isolation()).isEqualTo(IsolationLevel.SERIALIZABLE);
          assertThat(engine.sync().config().echo()).isTrue();
          assertThat(engine.sync().config().statementCacheSize()).isEqualTo(5);
          assertThat(engine.gateStats().maxConcurrency()).isEqualTo(3);
        });
  }

  @Test
  void sessionProperties() {
    Runners.sqlite().withPropertyValues("async-engine.session.expire-on-commit=false", "async-engine.session.autoflush=false")
        .run(context -> {
          AsyncSessionFactory factory = context.getBean(AsyncSessionFactory.class);
          assertThat(factory.expireOnCommit()).isFalse();
          assertThat(factory.autoflush()).isFalse();
        });
    Runners.sqlite().run(context -> {
      AsyncSessionFactory factory = context.getBean(AsyncSessionFactory.class);
      assertThat(factory.expireOnCommit()).isTrue();
      assertThat(factory.autoflush()).isTrue();
    });
  }

  @Test
  void poolPropertiesShapeTheStartersPool() {
    Runners.sqlite().withPropertyValues("async-engine.pool.max-size=3", "async-engine.pool.min-idle=1",
        "async-engine.pool.connection-timeout=2s", "async-engine.pool.max-lifetime=20m",
        "async-engine.pool.idle-timeout=5m", "async-engine.pool.validation-timeout=1s", "async-engine.pool.name=starter-pool")
        .run(context -> {
          HikariDataSource pool = (HikariDataSource) context.getBean(DataSource.class);
          assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
          assertThat(pool.getMinimumIdle()).isEqualTo(1);
          assertThat(pool.getConnectionTimeout()).isEqualTo(2000);
          assertThat(pool.getMaxLifetime()).isEqualTo(Duration.ofMinutes(20).toMillis());
          assertThat(pool.getIdleTimeout()).isEqualTo(Duration.ofMinutes(5).toMillis());
          assertThat(pool.getValidationTimeout()).isEqualTo(1000);
          assertThat(pool.getPoolName()).isEqualTo("starter-pool");
          assertThat(context.getBean(AsyncEngine.class).gateStats().maxConcurrency()).isEqualTo(3);
        });
  }

  @Test
  void outOfRangePropertiesFailTheStartupNamingTheProperty() {
    Runners.sqlite().withPropertyValues("async-engine.pool.max-size=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("async-engine.pool.max-size");
    });
    Runners.sqlite().withPropertyValues("async-engine.executor.max-concurrency=0").run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("async-engine.executor.max-concurrency"));
  }

  // --- optional dependencies --------------------------------------------------------------------

  @Test
  void withoutMicrometerTheEngineWorksWithoutMeters() {
    Runners.sqlite().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(AsyncEngineGateMeterBinder.class);
    });
  }

  @Test
  void withoutTheHealthModuleThereIsNoIndicator() {
    Runners.sqlite().withClassLoader(new FilteredClassLoader(HealthContributor.class)).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(HealthContributor.class);
    });
  }

  @Test
  void healthIndicatorIsThereWithTheHealthModuleAndOffByProperty() {
    Runners.sqlite().run(context -> assertThat(context).hasBean("asyncEngineHealthContributor")
        .getBean("asyncEngineHealthContributor").isInstanceOf(AsyncEngineHealthIndicator.class));
    Runners.sqlite().withPropertyValues("management.health.asyncengine.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("asyncEngineHealthContributor"));
  }

  @Test
  void withoutHikariTheEngineWrapsAnotherDataSourceAndMakesNoPool() {
    String url = StarterDatabases.sqliteUrl("nohikari.db");
    Runners.runner().withClassLoader(new FilteredClassLoader(HikariDataSource.class))
        .withBean(DataSource.class, () -> new SimpleDriverDataSource(new org.sqlite.JDBC(), url)).run(context -> {
          assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(DefaultDataSource.class);
          assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 3")).join())
              .isEqualTo(3);
        });
  }

  @Test
  void withoutSpringJdbcTranslatorsTheCoreExceptionsStay() {
    Runners.sqlite().withClassLoader(new FilteredClassLoader(org.springframework.jdbc.support.SQLExceptionTranslator.class))
        .run(context -> assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(SpringExceptionTranslator.class));
  }

  // --- lifecycle --------------------------------------------------------------------------------

  @Test
  void lifecycleStopsAfterTheWebServerAndDisposesTheEngine() {
    AtomicReference<AsyncEngine> engine = new AtomicReference<>();
    Runners.sqlite().run(context -> {
      AsyncEngineLifecycle lifecycle = context.getBean(AsyncEngineLifecycle.class);
      // Boot's graceful-shutdown phase and the web server's stop phase.
      assertThat(lifecycle.getPhase()).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
      assertThat(lifecycle.isRunning()).isTrue();
      engine.set(context.getBean(AsyncEngine.class));
    });
    assertThat(engine.get().isDisposed()).isTrue();
    assertThat(engine.get().isTerminated()).isTrue();
  }

  @Test
  void twoEnginesForTwoDataSourcesAsDocumented() {
    AtomicReference<java.util.Map<String, AsyncEngine>> engines = new AtomicReference<>();
    Runners.runner().withUserConfiguration(TwoDataSources.class, TwoEngines.class).run(context -> {
      assertThat(context).hasNotFailed();
      engines.set(context.getBeansOfType(AsyncEngine.class));
      assertThat(engines.get()).containsOnlyKeys("firstEngine", "secondEngine");
      assertThat(context.getBeansOfType(AsyncSessionFactory.class)).hasSize(2);
      assertThat(context.getBean("asyncEngineHealthContributor"))
          .isInstanceOf(org.springframework.boot.health.contributor.CompositeHealthContributor.class);
    });
    assertThat(engines.get().values()).allMatch(AsyncEngine::isDisposed);
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoEngines {
    @Bean
    AsyncEngine firstEngine(SimpleDriverDataSource first) {
      return AsyncEngine.builder().dataSource(first).executorMode(ExecutorMode.VIRTUAL).build();
    }

    @Bean
    AsyncEngine secondEngine(SimpleDriverDataSource second) {
      return AsyncEngine.builder().dataSource(second).executorMode(ExecutorMode.PLATFORM).build();
    }

    @Bean
    AsyncSessionFactory firstSessions(AsyncEngine firstEngine) {
      return AsyncSessionFactory.builder(firstEngine).build();
    }

    @Bean
    AsyncSessionFactory secondSessions(AsyncEngine secondEngine) {
      return AsyncSessionFactory.builder(secondEngine).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoDataSources {
    @Bean
    SimpleDriverDataSource first() {
      return new SimpleDriverDataSource(new org.sqlite.JDBC(),
          StarterDatabases.sqliteUrl("first.db"));
    }

    @Bean
    SimpleDriverDataSource second() {
      return new SimpleDriverDataSource(new org.sqlite.JDBC(),
          StarterDatabases.sqliteUrl("second.db"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PrimaryFirst {
    @Bean
    @Primary
    DataSource primary(SimpleDriverDataSource first) {
      return first;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFactory {
    @Bean
    AsyncSessionFactory mySessionFactory(AsyncEngine engine) {
      return AsyncSessionFactory.builder(engine).expireOnCommit(false).build();
    }
  }
}
