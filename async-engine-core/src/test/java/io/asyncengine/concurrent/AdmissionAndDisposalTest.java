package io.asyncengine.concurrent;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The admission gate, the per-operation timeout, pool exhaustion (a timeout, never a hang) and
 * disposal under load.
 */
class AdmissionAndDisposalTest {

  @DatabaseTest
  void cancellingWorkQueuedInTheGateLeavesTheQueueWithoutTouchingAConnection(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).minIdle(1))) {
      AsyncConnection held = await(engine.connect());
      List<CompletableFuture<AsyncConnection>> queued = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        queued.add(engine.connect());
      }
      long end = System.nanoTime() + 5_000_000_000L;
      while (engine.gateStats().waiting() < 50 && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      assertThat(engine.gateStats()).isEqualTo(new AsyncEngine.GateStats(1, 1, 50));
      queued.forEach(f -> f.cancel(true));
      assertThat(queued).allMatch(CompletableFuture::isCancelled);
      while (engine.gateStats().waiting() > 0 && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      assertThat(engine.gateStats().waiting()).isZero();
      var pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
      assertThat(pool.getActiveConnections()).isEqualTo(1);
      assertThat(pool.getThreadsAwaitingConnection()).isZero();
      await(held.close());
      AsyncConnection next = await(engine.connect());
      assertThat(await(next.scalar(Integer.class, "select 1"))).isEqualTo(1);
      await(next.close());
      // close() completes before the rollback of next's read transaction; the permit follows it.
      while (engine.gateStats().inUse() > 0 && System.nanoTime() < end + 5_000_000_000L) {
        Thread.sleep(5);
      }
      assertThat(engine.gateStats().inUse()).isZero();
    }
  }

  @DatabaseTest
  void poolExhaustionByTenTimesMoreTransactionsGivesPoolTimeoutNeverAHang(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(2).minIdle(2).connectionTimeout(Duration.ofMillis(500)))) {
      long start = System.nanoTime();
      List<CompletableFuture<Integer>> work = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        work.add(engine.runSyncInTransaction(c -> {
          int one = c.scalar(Integer.class, "select 1");
          try {
            Thread.sleep(1_000); // holds the connection longer than the connection timeout
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return one;
        }));
      }
      int ok = 0;
      int timedOut = 0;
      for (CompletableFuture<Integer> future : work) {
        Throwable failed = future.handle((value, f) -> f instanceof java.util.concurrent.CompletionException c ? c.getCause() : f).join();
        if (failed instanceof PoolTimeoutException timeout) {
          assertThat(timeout).hasMessageContaining("pool size 2").hasMessageContaining("in use 2").hasMessageContaining("waiting");
          timedOut++;
        } else {
          ok++;
        }
      }
      assertThat(ok).isEqualTo(2);
      assertThat(timedOut).isEqualTo(18);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(engine.gateStats().waiting()).isZero();
    }
  }

  @DatabaseTest
  void aPerOperationTimeoutCancelsTheStatementOnTheServerAndRollsBack(TestDatabase db) {
    String marker = ServerActivity.marker("op_timeout_" + db);
    try (AsyncEngine engine = db.engine()) {
      await(engine.runSyncInTransaction(c -> c.execute("create table if not exists op_timeout (id integer primary key)")));
      await(engine.runSyncInTransaction(c -> c.execute("delete from op_timeout")));
      AsyncConnection conn = await(engine.connect());
      await(conn.execute("insert into op_timeout (id) values (1)"));
      AsyncConnection limited = conn.timeout(Duration.ofMillis(400));
      long start = System.nanoTime();
      Throwable failed = failure(limited.execute(ServerActivity.slowQuery(db, marker)));
      assertThat(failed).isInstanceOf(StatementTimeoutException.class).hasMessageContaining("400 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      // The open transaction was rolled back with the insert, so it is invalidated: nothing runs or
      // commits on the connection until the caller acknowledges with rollback(); then it works.
      assertThat(failure(conn.commit())).isInstanceOf(io.asyncengine.error.PendingRollbackException.class);
      await(conn.rollback());
      assertThat(await(conn.scalar(Long.class, "select count(*) from op_timeout"))).isZero();
      assertThat(await(limited.scalar(Integer.class, "select 1"))).isEqualTo(1);
      await(conn.close());
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
    }
  }

  @DatabaseTest
  void disposingUnderLoadCompletesAcceptedWorkOrFailsItWithResourceClosedAndLeavesNoThread(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("dispose_" + db);
    AsyncEngine engine = db.engine(b -> b.maxPoolSize(4).minIdle(4).shutdownGracePeriod(Duration.ofMillis(1500)));
    List<CompletableFuture<Integer>> quick = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      quick.add(engine.runSync(c -> {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return c.scalar(Integer.class, "select 1");
      }));
    }
    List<CompletableFuture<Object>> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker))));
    }
    Thread.sleep(100);
    long start = System.nanoTime();
    CompletableFuture<Void> disposal = engine.dispose();
    assertThat(failure(engine.runSync(c -> 1))).isInstanceOf(ResourceClosedException.class);
    assertThat(failure(engine.connect())).isInstanceOf(ResourceClosedException.class);
    await(disposal);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    for (CompletableFuture<Integer> future : quick) {
      assertThat(await(future)).isEqualTo(1); // accepted, and done within the grace period
    }
    for (CompletableFuture<Object> future : slow) {
      assertThat(failure(future)).isInstanceOf(ResourceClosedException.class).hasMessageContaining("grace period");
    }
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(engine.isTerminated()).as("no engine thread left").isTrue();
    assertThat(((HikariDataSource) engine.sync().dataSource()).isClosed()).isTrue();
    ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
  }
}
