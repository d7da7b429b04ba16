package io.asyncengine.bench.contender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.concurrent.ExecutorMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.BadSqlGrammarException;

/**
 * {@code async-engine/boot}: every workload on both databases, and the engine configured as the
 * starter configures it (executor mode per database, virtual continuations on SQLite's platform
 * lanes, the metrics listener, Spring's exceptions, the benchmark's pool and driver settings).
 */
class BootContenderTest extends AbstractContenderSmokeTest {

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void runsEveryWorkload(BenchDatabase db) throws Exception {
    smoke(db, AsyncEngineContender::boot);
  }

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void countsAMissingRowAsAFailure(BenchDatabase db) throws Exception {
    missingRowFails(db, AsyncEngineContender::boot);
  }

  @Test
  void isNamedAsInTheTables() {
    assertThat(AsyncEngineContender.boot().name()).isEqualTo("async-engine/boot");
    assertThat(Contenders.all()).anyMatch(c -> c.get().name().equals("async-engine/boot"));
  }

  @ParameterizedTest
  @EnumSource(BenchDatabase.class)
  void configuredAsTheStarterConfiguresIt(BenchDatabase db) throws Exception {
    if (db == BenchDatabase.POSTGRESQL) {
      requirePostgres();
    }
    db.createData(USERS, 10);
    AsyncEngineContender.OpenEngine opened = StarterContext.open(db, POOL_SIZE);
    try (ConfigurableApplicationContext context = (ConfigurableApplicationContext) opened.owner()) {
      AsyncEngine engine = opened.engine();
      assertThat(engine).isSameAs(context.getBean(AsyncEngine.class));
      assertThat(engine.gateStats().maxConcurrency()).isEqualTo(POOL_SIZE);

      if (db == BenchDatabase.SQLITE) {
        assertThat(engine.executorMode()).isEqualTo(ExecutorMode.PLATFORM);
        // The pool got the benchmark's driver properties, as every JDBC contender's does.
        assertThat(engine.runSync(c -> c.scalar(Long.class, "pragma busy_timeout")).get(30, TimeUnit.SECONDS))
            .isEqualTo(Long.parseLong(db.driverProperties().getProperty("busy_timeout")));
        // Platform lane, continuation on a virtual thread: the work waits until the continuation
        // is attached, so it cannot run on this thread.
        CountDownLatch attached = new CountDownLatch(1);
        CompletableFuture<Boolean> laneVirtual = engine.runSync(c -> {
          await(attached);
          return Thread.currentThread().isVirtual();
        });
        CompletableFuture<Boolean> continuationVirtual = laneVirtual.thenApply(ignored -> Thread.currentThread().isVirtual());
        attached.countDown();
        // Waited for first: a thread blocked in get() of laneVirtual may itself run its dependents.
        assertThat(continuationVirtual.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(laneVirtual.get(30, TimeUnit.SECONDS)).isFalse();
      } else {
        assertThat(engine.executorMode()).isEqualTo(ExecutorMode.VIRTUAL);
      }

      assertThatThrownBy(() -> engine.runSync(c -> c.execute("select * from boot_contender_missing_table")).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(BadSqlGrammarException.class);

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
      engine.connect().thenCompose(c -> c.execute(BenchDatabase.LOOKUP, 1).whenComplete((r, f) -> c.close()))
          .get(30, TimeUnit.SECONDS);
      awaitOperationTimer(registry);
    }
  }

  @Test
  void starterLineupSetsWhatItsNamesSay() throws Exception {
    requirePostgres();
    BenchDatabase.POSTGRESQL.createData(USERS, 10);
    assertThat(Contenders.starterDefaults()).extracting(c -> c.get().name()).containsExactly("raw-jdbc", "naive-virtual",
        "jdbc-client", "async-engine", "async-engine/virtual", "async-engine/boot", "async-engine/boot-no-socket-spin",
        "async-engine/boot-lane-continuations", "async-engine/boot-platform", "async-engine/boot-platform-lane-continuations");
    try (AsyncEngineContender platform = (AsyncEngineContender) Contenders.starterDefaults().get(8).get()) {
      platform.open(BenchDatabase.POSTGRESQL, POOL_SIZE);
      assertThat(platform.engine().executorMode()).isEqualTo(ExecutorMode.PLATFORM);
      platform.sequentialLookups(new int[] {1, 2, 3});
    }
    try (AsyncEngineContender laneContinuations = (AsyncEngineContender) Contenders.starterDefaults().get(9).get()) {
      laneContinuations.open(BenchDatabase.POSTGRESQL, POOL_SIZE);
      AsyncEngine engine = laneContinuations.engine();
      assertThat(engine.executorMode()).isEqualTo(ExecutorMode.PLATFORM);
      CountDownLatch attached = new CountDownLatch(1);
      CompletableFuture<Boolean> continuationVirtual = engine.runSync(c -> {
        await(attached);
        return true;
      }).thenApply(ignored -> Thread.currentThread().isVirtual());
      attached.countDown();
      assertThat(continuationVirtual.get(30, TimeUnit.SECONDS)).isFalse();
    }
  }

  /** The listener records when the future completes, which can be just after the caller wakes. */
  private static void awaitOperationTimer(MeterRegistry registry) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.find("asyncengine.operations").timers().stream().mapToLong(t -> t.count()).sum() == 0) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no asyncengine.operations recorded; meters: "
            + registry.getMeters().stream().map(m -> m.getId().getName()).toList());
      }
      Thread.sleep(5);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("continuation never attached");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
