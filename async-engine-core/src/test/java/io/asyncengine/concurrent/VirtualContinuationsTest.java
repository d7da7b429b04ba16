package io.asyncengine.concurrent;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Where continuations run on a platform executor: on a new virtual thread with
 * {@code virtualContinuations(true)}, on the lane's platform thread without it. A stream's signals
 * are not futures: they stay on the lane.
 */
class VirtualContinuationsTest {

  private static final String TABLE = "vcont_items";

  @DatabaseTest
  void everyFutureOfAPlatformEngineCompletesOnAVirtualThread(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM).virtualContinuations(true))) {
      assertThat(engine.executorMode()).isEqualTo(ExecutorMode.PLATFORM);
      List<Boolean> virtual = new ArrayList<>();
      AsyncConnection conn = await(engine.connect().thenApply(c -> {
        virtual.add(offEnginePlatformThreads());
        return c;
      }));
      CountDownLatch hold = new CountDownLatch(1);
      conn.runSync(c -> waitFor(hold)); // the futures below are pending when continuations attach
      CompletableFuture<Void> dropped = conn.execute("drop table if exists " + TABLE)
          .thenRun(() -> virtual.add(Thread.currentThread().isVirtual()));
      hold.countDown();
      await(dropped);
      await(conn.execute("create table " + TABLE + " (id integer primary key)"));
      await(conn.execute("insert into " + TABLE + " (id) values (1), (2), (3)"));
      await(conn.commit().thenRun(() -> virtual.add(offEnginePlatformThreads())));
      await(conn.scalar(Integer.class, "select count(*) from " + TABLE)
          .thenRun(() -> virtual.add(offEnginePlatformThreads())));
      // A stream's signals run inside its steps on the lane, as documented; only futures are handed off.
      assertThat(streamedRows(conn)).isEqualTo(3);
      await(conn.close().thenRun(() -> virtual.add(offEnginePlatformThreads())));
      await(engine.inTransaction(c -> c.execute("delete from " + TABLE))
          .thenRun(() -> virtual.add(offEnginePlatformThreads())));
      assertThat(virtual).containsOnly(true).hasSize(6);
      assertPermitsBack(engine);
    }
  }

  @DatabaseTest
  void withoutTheSettingFuturesCompleteOnTheLanesPlatformThread(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM))) {
      AsyncConnection conn = await(engine.connect());
      CountDownLatch hold = new CountDownLatch(1);
      conn.runSync(c -> waitFor(hold)); // keeps the next future pending until the continuation is attached
      CompletableFuture<String> threadName = conn.scalar(Integer.class, "select 1")
          .thenApply(one -> Thread.currentThread().getName());
      hold.countDown();
      String thread = await(threadName);
      assertThat(thread).startsWith("async-engine-platform-");
      await(conn.close());
    }
  }

  /**
   * With one platform thread, a continuation of one connection that waits for another connection's
   * query would hold the only thread that query can run on; handed off, both finish.
   */
  @DatabaseTest
  void aBlockingContinuationDoesNotHoldTheEnginesOnlyPlatformThread(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM).platformThreads(1)
        .maxPoolSize(2).virtualContinuations(true))) {
      AsyncConnection first = await(engine.connect());
      AsyncConnection second = await(engine.connect());
      CompletableFuture<Integer> chained = first.scalar(Integer.class, "select 1")
          .thenApply(one -> one + second.scalar(Integer.class, "select 2").join());
      assertThat(chained.get(30, TimeUnit.SECONDS)).isEqualTo(3);
      await(first.close());
      await(second.close());
      assertPermitsBack(engine);
    }
  }

  /**
   * A chain of operations, each submitted by the continuation of the one before, as W1 runs it: the
   * thread that ran a continuation waits briefly for the next completion and runs it too, and the
   * lane waits briefly for the next step; every continuation is still on a virtual thread.
   */
  @DatabaseTest
  void everyStepOfAChainRunsItsContinuationOnAVirtualThread(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM).virtualContinuations(true))) {
      AsyncConnection conn = await(engine.connect());
      List<Boolean> virtual = new ArrayList<>();
      // Started from a virtual thread: a first step whose future completes before its continuation
      // is attached runs that continuation on the thread that attaches it.
      CompletableFuture<Integer> start = new CompletableFuture<>();
      CompletableFuture<Integer> chain = start;
      for (int i = 0; i < 200; i++) {
        chain = chain.thenCompose(sum -> conn.scalar(Integer.class, "select 1").thenApply(one -> {
          virtual.add(Thread.currentThread().isVirtual() && offEnginePlatformThreads());
          return sum + one;
        }));
      }
      Thread.ofVirtual().start(() -> start.complete(0)).join();
      assertThat(chain.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(virtual).hasSize(200).containsOnly(true);
      await(conn.close());
      assertPermitsBack(engine);
    }
  }

  /**
   * A continuation that blocks for the next operation of its own connection holds the thread it runs
   * on; that operation's completion must find another one, however threads are reused between steps.
   */
  @DatabaseTest
  void aContinuationBlockedOnItsConnectionsNextOperationFinishes(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM).virtualContinuations(true))) {
      AsyncConnection conn = await(engine.connect());
      CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
      for (int i = 0; i < 20; i++) {
        chain = chain.thenCompose(sum -> conn.scalar(Integer.class, "select 1")
            .thenApply(one -> sum + one + conn.scalar(Integer.class, "select 2").join()));
      }
      assertThat(chain.get(60, TimeUnit.SECONDS)).isEqualTo(60);
      await(conn.close());
      assertPermitsBack(engine);
    }
  }

  /**
   * A continuation attached to a pending future runs on a virtual thread; one attached after the
   * future completed runs on the attaching thread. Either way, never on an engine platform thread.
   */
  private static boolean offEnginePlatformThreads() {
    return !Thread.currentThread().getName().startsWith("async-engine-platform-");
  }

  private static boolean waitFor(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int streamedRows(AsyncConnection conn) throws InterruptedException {
    List<Boolean> virtual = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    conn.stream("select id from " + TABLE + " order by id").subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(io.asyncengine.result.Row item) {
        synchronized (virtual) {
          virtual.add(offEnginePlatformThreads());
        }
      }

      @Override
      public void onError(Throwable throwable) {
        done.countDown();
      }

      @Override
      public void onComplete() {
        done.countDown();
      }
    });
    assertThat(done.await(30, TimeUnit.SECONDS)).as("stream ended").isTrue();
    synchronized (virtual) {
      return virtual.size();
    }
  }

  /** close() completes before the rollback of a read transaction; the permit follows it (bounded wait). */
  private static void assertPermitsBack(AsyncEngine engine) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(engine.gateStats().inUse()).isZero();
  }
}
