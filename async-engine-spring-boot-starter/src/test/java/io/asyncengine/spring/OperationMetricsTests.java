package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.spring.metrics.AsyncEngineMetricsBuilderCustomizer;
import io.asyncengine.spring.metrics.MicrometerEngineListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The timers fed by the engine's listener, in a SimpleMeterRegistry after real operations:
 * {@code asyncengine.operations} by kind and outcome (success, error, cancelled, timeout) and
 * {@code asyncengine.connections.acquire} by phase and outcome; no registry, no listener. With an
 * {@code ObservationRegistry} (Boot's observation auto-configuration), both timers come from the
 * engine's observations, once per operation, and the listener records only the phases.
 */
class OperationMetricsTests {

  /** A statement that runs far longer than the tests wait (a recursive count on SQLite). */
  private static final String SLOW_SQLITE_QUERY =
      "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) from r";

  private static ApplicationContextRunner withMetrics(ApplicationContextRunner runner) {
    return runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));
  }

  /**
   * The timer {@code name} with {@code tags} once it has recorded {@code count} times: the
   * listener runs when a future completes, which can be just after the caller waiting on it wakes.
   */
  private static Timer awaitTimer(MeterRegistry registry, String name, long count, String... tags) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Timer timer = registry.find(name).tags(tags).timer();
      if (timer != null && timer.count() >= count) {
        return timer;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("No " + name + " " + String.join(",", tags) + " recorded " + count + " times; meters: "
            + registry.getMeters().stream().map(meter -> meter.getId().toString()).toList());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Timer operation(MeterRegistry registry, String kind, String outcome) {
    return awaitTimer(registry, MicrometerEngineListener.OPERATIONS, 1, "kind", kind, "outcome", outcome,
        "engine", "asyncEngine");
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void operationsAreTimedByKindAndOutcome() {
    withMetrics(Runners.sqlite()).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
      assertThat(failure(engine.runSync(c -> c.execute("select * from starter_missing"))))
          .isInstanceOf(BadSqlGrammarException.class);
      AsyncConnection conn = engine.connect().join();
      try {
        CompletableFuture<Long> running = conn.scalar(Long.class, SLOW_SQLITE_QUERY);
        Thread.sleep(300);
        assertThat(running.cancel(true)).isTrue();
        assertThat(failure(conn.timeout(Duration.ofMillis(300)).scalars(Long.class, SLOW_SQLITE_QUERY)))
            .isInstanceOf(QueryTimeoutException.class);
      } finally {
        conn.close().join();
      }

      assertThat(operation(registry, "engine.run_sync", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(operation(registry, "connection.run_sync", "success").count()).isEqualTo(1);
      operation(registry, "engine.run_sync", "error");
      operation(registry, "connection.run_sync", "error");
      operation(registry, "connection.scalar", "cancelled");
      // Translated to Spring's QueryTimeoutException, still a timeout: the engine's exception is its cause.
      assertThat(operation(registry, "connection.scalars", "timeout").totalTime(TimeUnit.MILLISECONDS))
          .isGreaterThanOrEqualTo(300);
    });
  }

  @Test
  void sessionOperationsAndStreamsAreTimed() {
    withMetrics(Runners.sqlite()).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      try (AsyncSession session = context.getBean(AsyncSessionFactory.class).openSession()) {
        assertThat(session.scalar(Integer.class, "select 2").join()).isEqualTo(2);
      }
      AsyncConnection conn = engine.connect().join();
      try {
        CompletableFuture<Integer> rows = new CompletableFuture<>();
        conn.streamScalars(Integer.class, "select 1 union all select 2").subscribe(new java.util.concurrent.Flow.Subscriber<>() {
          int seen;

          @Override
          public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(Integer item) {
            seen++;
          }

          @Override
          public void onError(Throwable throwable) {
            rows.completeExceptionally(throwable);
          }

          @Override
          public void onComplete() {
            rows.complete(seen);
          }
        });
        assertThat(rows.join()).isEqualTo(2);
      } finally {
        conn.close().join();
      }
      operation(registry, "session.scalar", "success");
      operation(registry, "connection.stream", "success");
    });
  }

  @Test
  void connectionAcquisitionIsTimedInTheGateAndInThePool() {
    withMetrics(Runners.sqlite())
        .withPropertyValues("async-engine.executor.max-concurrency=1", "async-engine.pool.connection-timeout=300ms")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          AsyncConnection held = engine.connect().join();
          try {
            assertThat(failure(engine.connect())).isInstanceOf(CannotGetJdbcConnectionException.class);
          } finally {
            held.close().join();
          }
          String acquire = MicrometerEngineListener.ACQUIRE;
          awaitTimer(registry, acquire, 1, "phase", "gate", "outcome", "success", "engine", "asyncEngine");
          Timer borrowed = awaitTimer(registry, acquire, 1, "phase", "pool", "outcome", "success", "engine", "asyncEngine");
          assertThat(borrowed.totalTime(TimeUnit.NANOSECONDS)).isPositive();
          Timer waited = awaitTimer(registry, acquire, 1, "phase", "gate", "outcome", "timeout", "engine", "asyncEngine");
          assertThat(waited.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(250);
          // It never got past the gate: no time in the pool, one sample all the same.
          Timer notBorrowed = awaitTimer(registry, acquire, 1, "phase", "pool", "outcome", "timeout", "engine", "asyncEngine");
          assertThat(notBorrowed.totalTime(TimeUnit.NANOSECONDS)).isZero();
        });
  }

  @Test
  void operationsOnPostgresql() {
    withMetrics(Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL))).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      engine.inTransaction(c -> c.scalar(Integer.class, "select 1")).join();
      operation(registry, "engine.in_transaction", "success");
      operation(registry, "connection.begin", "success");
      operation(registry, "connection.scalar", "success");
      awaitTimer(registry, MicrometerEngineListener.ACQUIRE, 1, "phase", "pool", "outcome", "success");
    });
  }

  @Test
  void noRegistryNoListener() {
    Runners.sqlite().run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(AsyncEngineMetricsBuilderCustomizer.class);
    });
    Runners.sqlite().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(AsyncEngineMetricsBuilderCustomizer.class);
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
    });
  }

  @Test
  void backsOffForAnApplicationMetricsCustomizer() {
    // The application's customizer decides: this one has no registry, so the engine gets no listener.
    AsyncEngineMetricsBuilderCustomizer mine =
        new AsyncEngineMetricsBuilderCustomizer(new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
    withMetrics(Runners.sqlite()).withBean(AsyncEngineMetricsBuilderCustomizer.class, () -> mine).run(context -> {
      assertThat(context.getBean(AsyncEngineMetricsBuilderCustomizer.class)).isSameAs(mine);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join();
      Thread.sleep(100);
      assertThat(registry.find(MicrometerEngineListener.OPERATIONS).timers()).isEmpty();
      assertThat(registry.find("asyncengine.gate.in.use").gauge()).isNotNull();
    });
  }

  @Test
  void withObservationsTheTimersComeFromThemAndNothingIsRecordedTwice() {
    withMetrics(Runners.sqlite()).withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection conn = engine.connect().join();
      try {
        conn.scalar(Integer.class, "select 1").join();
        conn.scalar(Integer.class, "select 2").join();
        assertThat(failure(conn.execute("select * from starter_missing"))).isInstanceOf(BadSqlGrammarException.class);
      } finally {
        conn.close().join();
      }
      // Boot's DefaultMeterObservationHandler makes the timer from each observation: the listener's tags, and more.
      Timer scalars = awaitTimer(registry, MicrometerEngineListener.OPERATIONS, 2, "kind", "connection.scalar",
          "outcome", "success", "engine", "asyncEngine", "db.system", "sqlite", "error", "none");
      awaitTimer(registry, MicrometerEngineListener.OPERATIONS, 1, "kind", "connection.execute", "outcome", "error",
          "engine", "asyncEngine", "error", "BadSqlGrammarException");
      Timer acquired = awaitTimer(registry, MicrometerEngineListener.ACQUIRE, 1, "kind", "connection.acquire",
          "outcome", "success", "engine", "asyncEngine");
      awaitTimer(registry, MicrometerEngineListener.ACQUIRE_PHASE, 1, "phase", "pool", "outcome", "success");
      Thread.sleep(100); // a second measurement, were there one, would have landed by now
      assertThat(scalars.count()).as("one measurement per operation").isEqualTo(2);
      assertThat(acquired.count()).isEqualTo(1);
      assertThat(registry.find(MicrometerEngineListener.OPERATIONS).timers())
          .allSatisfy(timer -> assertThat(timer.getId().getTag("db.system")).isEqualTo("sqlite"));
      assertThat(registry.find(MicrometerEngineListener.ACQUIRE).tagKeys("phase").timers()).isEmpty();
    });
  }
}
