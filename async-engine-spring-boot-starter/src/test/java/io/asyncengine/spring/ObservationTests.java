package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.core.Params;
import io.asyncengine.spring.observation.AsyncEngineObservationBuilderCustomizer;
import io.asyncengine.spring.observation.AsyncEngineObservationContext;
import io.asyncengine.spring.observation.AsyncEngineObservationConvention;
import io.asyncengine.spring.observation.DefaultAsyncEngineObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;

/**
 * Micrometer Observations of the starter's engine, after real work on SQLite and PostgreSQL: names,
 * contextual names and keys in a {@code TestObservationRegistry}, parameter values only when opted
 * in, outcomes of errors, cancels and timeouts; spans of micrometer-tracing's test tracer nested
 * caller → operation → work, with nothing left behind on a reused lane; and the auto-configuration's
 * conditions.
 */
class ObservationTests {

  /** A statement that runs far longer than the tests wait (a recursive count on SQLite). */
  private static final String SLOW_SQLITE_QUERY =
      "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) from r";

  private static ApplicationContextRunner observed(ApplicationContextRunner runner, ObservationRegistry registry) {
    return runner.withBean(ObservationRegistry.class, () -> registry);
  }

  private static @Nullable String key(Observation.Context context, String key) {
    KeyValue value = context.getLowCardinalityKeyValue(key);
    if (value == null) {
      value = context.getHighCardinalityKeyValue(key);
    }
    return value == null ? null : value.getValue();
  }

  /**
   * The stopped observations {@code filter} accepts, once there are {@code count}: an observation
   * stops when its future completes (after a cancel, once the statement has stopped), which can be
   * just after the caller waiting on it wakes.
   */
  private static List<AsyncEngineObservationContext> awaitStopped(TestObservationRegistry registry, int count,
      Predicate<AsyncEngineObservationContext> filter) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Observation.Context> handled = new ArrayList<>();
      assertThat(registry).hasHandledContextsThatSatisfy(handled::addAll);
      List<AsyncEngineObservationContext> stopped = handled.stream()
          .filter(AsyncEngineObservationContext.class::isInstance).map(AsyncEngineObservationContext.class::cast)
          .filter(c -> !"unknown".equals(key(c, "outcome"))).filter(filter).toList();
      if (stopped.size() >= count) {
        return stopped;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("Only " + stopped.size() + " of " + count + " observations; all: "
            + handled.stream().map(c -> c.getContextualName() + " " + c.getLowCardinalityKeyValues()).toList());
      }
      sleep(5);
    }
  }

  private static AsyncEngineObservationContext awaitStopped(TestObservationRegistry registry, String contextualName) {
    return awaitStopped(registry, 1, c -> contextualName.equals(c.getContextualName())).get(0);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
  void operationsAreObservationsWithTheirNamesAndKeys() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    observed(Runners.sqlite(), registry).run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection conn = engine.connect().join();
      try {
        conn.execute("create table observation_items (id integer primary key, name varchar(20))").join();
        conn.execute("insert into observation_items (id, name) values (?, ?)", 1, "secret").join();
        conn.commit().join();
      } finally {
        conn.close().join();
      }
      try (AsyncSession session = context.getBean(AsyncSessionFactory.class).openSession()) {
        session.flush().join();
      }

      AsyncEngineObservationContext insert = awaitStopped(registry, 2,
          c -> "asyncengine.connection.execute".equals(c.getContextualName())).get(1);
      assertThat(insert.getName()).isEqualTo("asyncengine.operations");
      assertThat(key(insert, "kind")).isEqualTo("connection.execute");
      assertThat(key(insert, "outcome")).isEqualTo("success");
      assertThat(key(insert, "engine")).isEqualTo("asyncEngine");
      assertThat(key(insert, "db.system")).isEqualTo("sqlite");
      assertThat(key(insert, "db.statement")).isEqualTo("insert into observation_items (id, name) values (?, ?)");
      assertThat(key(insert, "db.params")).as("values are not recorded unless opted in").isNull();
      assertThat(insert.getError()).isNull();

      AsyncEngineObservationContext commit = awaitStopped(registry, "asyncengine.connection.commit");
      assertThat(commit.getName()).isEqualTo("asyncengine.operations");
      assertThat(key(commit, "db.statement")).isNull();
      AsyncEngineObservationContext flush = awaitStopped(registry, "asyncengine.session.flush");
      assertThat(key(flush, "kind")).isEqualTo("session.flush");
      assertThat(key(flush, "outcome")).isEqualTo("success");

      AsyncEngineObservationContext acquire = awaitStopped(registry, "asyncengine.connection.acquire");
      assertThat(acquire.getName()).isEqualTo("asyncengine.connections.acquire");
      assertThat(key(acquire, "kind")).isEqualTo("connection.acquire");
      assertThat(key(acquire, "outcome")).isEqualTo("success");
      assertThat(key(acquire, "db.system")).isEqualTo("sqlite");
      assertThat(registry).doesNotHaveAnyRemainingCurrentObservation();
    });
  }

  @Test
  void parameterValuesOnlyWhenOptedIn() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    observed(Runners.sqlite(), registry).withPropertyValues("async-engine.observations.include-parameters=true")
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          AsyncConnection conn = engine.connect().join();
          try {
            conn.scalar(String.class, "select ? || ?", "ab", 12).join();
            conn.execute("select :name", Params.named(Map.of("name", "ada"))).join();
          } finally {
            conn.close().join();
          }
          AsyncEngineObservationContext scalar = awaitStopped(registry, "asyncengine.connection.scalar");
          assertThat(key(scalar, "db.statement")).isEqualTo("select ? || ?");
          assertThat(key(scalar, "db.params")).contains("ab").contains("12");
          AsyncEngineObservationContext named = awaitStopped(registry, "asyncengine.connection.execute");
          assertThat(key(named, "db.params")).contains("name").contains("ada");
        });
  }

  @Test
  void errorsCancelsAndTimeoutsHaveTheirOutcomes() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    observed(Runners.sqlite(), registry).run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection conn = engine.connect().join();
      try {
        Throwable error = failure(conn.execute("select * from observation_missing"));
        assertThat(error).isInstanceOf(BadSqlGrammarException.class);
        AsyncEngineObservationContext failed = awaitStopped(registry, "asyncengine.connection.execute");
        assertThat(key(failed, "outcome")).isEqualTo("error");
        assertThat(failed.getError()).isSameAs(error);
        conn.rollback().join();

        CompletableFuture<Long> running = conn.scalar(Long.class, SLOW_SQLITE_QUERY);
        sleep(300);
        assertThat(running.cancel(true)).isTrue();
        AsyncEngineObservationContext cancelled = awaitStopped(registry, "asyncengine.connection.scalar");
        assertThat(key(cancelled, "outcome")).isEqualTo("cancelled");
        assertThat(cancelled.getError()).as("a cancel is no error").isNull();

        Throwable timedOut = failure(conn.timeout(Duration.ofMillis(300)).scalars(Long.class, SLOW_SQLITE_QUERY));
        assertThat(timedOut).isInstanceOf(QueryTimeoutException.class);
        AsyncEngineObservationContext timeout = awaitStopped(registry, "asyncengine.connection.scalars");
        assertThat(key(timeout, "outcome")).isEqualTo("timeout");
        assertThat(timeout.getError()).isSameAs(timedOut);
        conn.rollback().join();
      } finally {
        conn.close().join();
      }
    });
  }

  @Test
  void observationsOnPostgresql() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    observed(Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)), registry)
        .withPropertyValues("async-engine.observations.include-parameters=true")
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          assertThat(engine.inTransaction(c -> c.scalar(Integer.class, "select ?::int + 1", 41)).join()).isEqualTo(42);
          AsyncEngineObservationContext scalar = awaitStopped(registry, "asyncengine.connection.scalar");
          assertThat(key(scalar, "db.system")).isEqualTo("postgresql");
          assertThat(key(scalar, "db.statement")).isEqualTo("select ?::int + 1");
          assertThat(key(scalar, "db.params")).contains("41");
          AsyncEngineObservationContext transaction = awaitStopped(registry, "asyncengine.engine.in_transaction");
          assertThat(key(transaction, "outcome")).isEqualTo("success");
          assertThat(key(awaitStopped(registry, "asyncengine.connection.begin"), "db.system")).isEqualTo("postgresql");
          assertThat(awaitStopped(registry, "asyncengine.connection.acquire").getName())
              .isEqualTo("asyncengine.connections.acquire");
        });
  }

  private static SimpleSpan span(SimpleTracer tracer, String name) {
    return spans(tracer, name).get(0);
  }

  private static List<SimpleSpan> spans(SimpleTracer tracer, String name) {
    return tracer.getSpans().stream().filter(s -> name.equals(s.getName())).toList();
  }

  /** The spans, once {@code count} of them named {@code name} have ended. */
  private static void awaitSpans(SimpleTracer tracer, String name, int count) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spans(tracer, name).stream().filter(s -> s.getEndTimestamp().toEpochMilli() > 0).count() < count) {
      if (System.nanoTime() > end) {
        throw new AssertionError("No " + count + " ended spans " + name + " in " + tracer.getSpans().stream().map(SimpleSpan::getName).toList());
      }
      sleep(5);
    }
  }

  @Test
  void spansNestCallerOperationAndWorkAndNothingLeaksOnAReusedLane() {
    for (String url : List.of("sqlite", StarterDatabases.require(StarterDatabases.POSTGRESQL))) {
      SimpleTracer tracer = new SimpleTracer();
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
      ApplicationContextRunner runner = url.equals("sqlite") ? Runners.sqlite() : Runners.datasource(url);
      observed(runner.withPropertyValues("async-engine.pool.max-size=1"), registry).run(context -> {
        AsyncEngine engine = context.getBean(AsyncEngine.class);
        AsyncConnection conn = engine.connect().join();
        Observation caller = Observation.start("test.request", registry);
        try (Observation.Scope scope = caller.openScope()) {
          conn.runSync(c -> Observation.createNotStarted("test.jdbc", registry)
              .observe(() -> c.scalar(Integer.class, "select 1"))).join();
          // A second operation started from the first one's continuation: a child of the caller too.
          conn.scalar(Integer.class, "select 2").thenCompose(two -> conn.scalar(Integer.class, "select 3")).join();
        }
        caller.stop();
        // Later work on the same lane without a caller span: a trace of its own, nothing current from before.
        Observation.Context insideLater = conn.runSync(c -> {
          Observation current = registry.getCurrentObservation();
          return current == null ? null : current.getContext();
        }).join();
        conn.close().join();

        awaitSpans(tracer, "asyncengine.connection.run_sync", 2);
        awaitSpans(tracer, "asyncengine.connection.scalar", 2);
        SimpleSpan request = span(tracer, "test.request");
        List<SimpleSpan> runs = spans(tracer, "asyncengine.connection.run_sync");
        SimpleSpan run = runs.get(0);
        assertThat(run.getParentId()).isEqualTo(request.getSpanId());
        assertThat(run.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(span(tracer, "test.jdbc").getParentId()).as("work inside the operation nests under it")
            .isEqualTo(run.getSpanId());
        assertThat(spans(tracer, "asyncengine.connection.scalar")).hasSize(2)
            .allSatisfy(s -> assertThat(s.getParentId()).isEqualTo(request.getSpanId()));
        assertThat(run.getTags()).doesNotContainKey("db.statement")
            .containsEntry("kind", "connection.run_sync").containsEntry("outcome", "success");
        assertThat(spans(tracer, "asyncengine.connection.scalar")).extracting(s -> s.getTags().get("db.statement"))
            .containsExactlyInAnyOrder("select 2", "select 3");
        SimpleSpan later = runs.get(1);
        assertThat(later.getTraceId()).isNotEqualTo(request.getTraceId());
        assertThat(later.getParentId()).isNullOrEmpty();
        assertThat(insideLater).isNotNull();
        assertThat(insideLater.getContextualName()).isEqualTo("asyncengine.connection.run_sync");
        assertThat(insideLater.getParentObservation()).as("nothing from the earlier caller").isNull();
        SimpleSpan acquire = span(tracer, "asyncengine.connection.acquire");
        assertThat(acquire.getTraceId()).isNotEqualTo(request.getTraceId());
      });
    }
  }

  @Test
  void nothingWithoutARegistryOrWhenTurnedOff() {
    Runners.sqlite().run(context -> assertThat(context).hasSingleBean(AsyncEngine.class)
        .doesNotHaveBean(AsyncEngineObservationBuilderCustomizer.class));
    Runners.sqlite().withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run(context -> {
      assertThat(context).hasSingleBean(AsyncEngine.class).doesNotHaveBean(AsyncEngineObservationBuilderCustomizer.class);
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
    });
    TestObservationRegistry registry = TestObservationRegistry.create();
    observed(Runners.sqlite(), registry).withPropertyValues("async-engine.observations.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(AsyncEngineObservationBuilderCustomizer.class);
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
      assertThat(registry).doesNotHaveAnyObservation();
    });
  }

  @Test
  void backsOffForAnApplicationCustomizer() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    // The application's customizer decides: this one has no registry, so the engine is not observed.
    AsyncEngineObservationBuilderCustomizer mine = new AsyncEngineObservationBuilderCustomizer(
        new StaticListableBeanFactory().getBeanProvider(ObservationRegistry.class),
        new StaticListableBeanFactory().getBeanProvider(AsyncEngineObservationConvention.class), false);
    observed(Runners.sqlite(), registry).withBean(AsyncEngineObservationBuilderCustomizer.class, () -> mine).run(context -> {
      assertThat(context.getBean(AsyncEngineObservationBuilderCustomizer.class)).isSameAs(mine);
      assertThat(context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join()).isEqualTo(1);
      sleep(100);
      assertThat(registry).doesNotHaveAnyObservation();
    });
  }

  @Test
  void theApplicationsConventionWins() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    AsyncEngineObservationConvention mine = new DefaultAsyncEngineObservationConvention() {
      @Override
      public String getContextualName(AsyncEngineObservationContext context) {
        return "db " + context.getOperation().kind();
      }
    };
    observed(Runners.sqlite(), registry).withBean(AsyncEngineObservationConvention.class, () -> mine).run(context -> {
      context.getBean(AsyncEngine.class).runSync(c -> c.scalar(Integer.class, "select 1")).join();
      AsyncEngineObservationContext run = awaitStopped(registry, "db connection.run_sync");
      assertThat(run.getName()).isEqualTo("asyncengine.operations");
      assertThat(key(run, "kind")).isEqualTo("connection.run_sync");
      assertThat(awaitStopped(registry, "db connection.acquire").getName()).isEqualTo("asyncengine.connections.acquire");
    });
  }
}
