package io.asyncengine.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why MariaDB statements once survived a storm of cancels: virtual threads are
 * never preempted, so CPU-bound virtual threads (there: MariaDB stream readers decoding rows) can
 * hold every carrier, and a cancel delivered on a virtual thread then waits for one. Here spinning
 * virtual threads hold every carrier while a running statement is cancelled: the server must still
 * stop it at once.
 */
class CancelWhileCarriersBusyTest {

  // PostgreSQL and MariaDB only: the check is "the server stopped it", and SQLite has no server
  // to ask (its in-process cancel is covered by CancelStormTest).
  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void aCancelReachesTheServerWhileEveryCarrierIsBusy(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("carriers_" + db);
    try (AsyncEngine engine = db.engine()) {
      CompletableFuture<?> slow = engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker)));
      awaitRunning(db, marker);

      int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch mounted = new CountDownLatch(carriers);
      List<Thread> spinners = new ArrayList<>();
      try {
        for (int i = 0; i < carriers; i++) {
          spinners.add(Thread.ofVirtual().name("spinner-" + i).start(() -> {
            mounted.countDown();
            while (!stop.get()) {
              Thread.onSpinWait(); // never parks: holds its carrier, as a stream reader with data does
            }
          }));
        }
        assertThat(mounted.await(10, TimeUnit.SECONDS)).as("every carrier busy").isTrue();

        long cancelledAt = System.nanoTime();
        slow.cancel(true);
        // The statement must stop while the carriers are still busy; the rollback that follows
        // runs on the lane (a virtual thread) and may wait for the spinners to end.
        while (ServerActivity.executing(db, marker) > 0) {
          assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).as("statement still executing on the server")
              .isLessThan(Duration.ofSeconds(3));
          Thread.sleep(10);
        }
        Duration stopped = Duration.ofNanos(System.nanoTime() - cancelledAt);
        System.out.println("cancel with every carrier busy [" + db + "]: the server stopped the statement after "
            + stopped.toMillis() + " ms");
      } finally {
        stop.set(true);
        for (Thread spinner : spinners) {
          spinner.join();
        }
      }
      assertThat(slow).isCancelled();
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(3)); // and once the carriers are free, the rollback ran
    }
  }

  private static void awaitRunning(TestDatabase db, String marker) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ServerActivity.running(db, marker) == 0) {
      assertThat(System.nanoTime()).as("the statement started on the server").isLessThan(end);
      Thread.sleep(10);
    }
  }
}
