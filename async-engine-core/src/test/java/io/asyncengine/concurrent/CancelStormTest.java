package io.asyncengine.concurrent;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * 1,000 in-flight long statements cancelled at random moments, in every state
 * (queued in the gate, acquiring, executing, streaming, committing). Afterwards the server runs
 * none of them, every pooled connection is idle and healthy, and new work succeeds at once.
 */
class CancelStormTest {

  private static final int POOL = 16;
  private static final int OPERATIONS = 1_000;
  private static final long SPREAD_MILLIS = 2_000;
  // Measured over 20 runs per database: at most 1.1 s (PostgreSQL) and 4.0 s (MariaDB, sessions
  // already "Killed" that the server took seconds to end). The bound leaves
  // room for a loaded 2-core machine shared with other builds.
  private static final Duration SERVER_CLEAN_LIMIT = Duration.ofSeconds(10);

  @DatabaseTest
  void cancelStormOfAThousandStatementsLeavesNothingRunningAndNoConnectionLeaked(TestDatabase db) throws Exception {
    // Unique per run: statements orphaned by an earlier JVM (a killed build) must not count.
    String marker = "storm_" + db + "_" + Long.toString(System.nanoTime() & 0xffffffL, 36);
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(POOL).minIdle(POOL).connectionTimeout(Duration.ofSeconds(60)))) {
      await(engine.runSyncInTransaction(c -> c.execute("create table if not exists storm (id integer primary key, note varchar(20))")));
      await(engine.runSyncInTransaction(c -> c.execute("delete from storm")));
      String[] slowOf = new String[5];
      for (int kind = 0; kind < 5; kind++) {
        slowOf[kind] = ServerActivity.slowQuery(db, marker + "_kind" + kind);
      }
      String rows = ServerActivity.endlessRows(db, marker + "_kind2");
      RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
      ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
      List<CompletableFuture<?>> futures = new ArrayList<>(OPERATIONS);
      AtomicLong lastCancel = new AtomicLong();
      long start = System.nanoTime();
      try {
        for (int i = 0; i < OPERATIONS; i++) {
          int id = i;
          String slow = slowOf[i % 5];
          CompletableFuture<?> future = switch (i % 5) {
            case 0 -> engine.runSync(c -> c.execute(slow));                                   // executing
            case 1 -> engine.inTransaction(conn -> conn.execute("insert into storm (id, note) values (?, 'tx')", id)
                .thenCompose(inserted -> conn.execute(slow)));                                // executing, in a transaction
            case 2 -> engine.runSync(c -> c.stream(rows).count());                            // streaming
            case 3 -> engine.inTransaction(conn -> conn.execute("insert into storm (id, note) values (?, 'commit')", id)); // committing
            default -> engine.runSyncInTransaction(c -> {                                     // several statements, one operation
              c.execute("insert into storm (id, note) values (?, 'sync')", id);
              return c.execute(slow);
            });
          };
          futures.add(future);
          long delay = random.nextLong(SPREAD_MILLIS);
          canceller.schedule(() -> {
            future.cancel(true);
            lastCancel.set(System.nanoTime());
          }, delay, TimeUnit.MILLISECONDS);
        }
        canceller.shutdown();
        assertThat(canceller.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        canceller.shutdownNow();
      }
      // Every future completed at once when cancelled (or finished on its own before).
      assertThat(futures).allMatch(CompletableFuture::isDone);
      long cancelled = futures.stream().filter(CompletableFuture::isCancelled).count();

      // No statement may survive on any database: the cancels reach the server within a few
      // seconds even while stream readers hold every carrier.
      String slowToStop = "none";
      Duration serverClean;
      try {
        serverClean = ServerActivity.awaitNone(db, marker, Duration.ofSeconds(1));
      } catch (AssertionError notYet) {
        slowToStop = notYet.getMessage(); // recorded with the figures, to see what takes longer
        serverClean = ServerActivity.awaitNone(db, marker, SERVER_CLEAN_LIMIT).plusSeconds(1);
      }
      long settledAt = System.nanoTime();
      HikariPoolMXBean pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
      long poolDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((pool.getActiveConnections() > 0 || engine.gateStats().inUse() > 0) && System.nanoTime() < poolDeadline) {
        Thread.sleep(10);
      }
      Duration poolIdle = Duration.ofNanos(System.nanoTime() - settledAt);
      int leaked = Math.max(pool.getActiveConnections(), engine.gateStats().inUse());

      // New work succeeds at once, on every connection of the pool at the same time.
      long fresh = System.nanoTime();
      List<CompletableFuture<Integer>> probes = new ArrayList<>();
      for (int i = 0; i < POOL; i++) {
        probes.add(engine.runSync(c -> c.scalar(Integer.class, "select 1")));
      }
      for (CompletableFuture<Integer> probe : probes) {
        assertThat(await(probe)).isEqualTo(1);
      }
      Duration newWork = Duration.ofNanos(System.nanoTime() - fresh);

      String figures = String.format("cancel storm [%s]: %d operations, %d cancelled, pool %d; server showed no statement "
              + "%d ms after the last cancel (%d ms polling); pool idle %d ms later; connections leaked %d; "
              + "%d probes on a full pool took %d ms; total %d ms; pool connections evicted and not yet replaced %d of %d; "
              + "still running 1 s after the storm: %s",
          db, OPERATIONS, cancelled, POOL,
          TimeUnit.NANOSECONDS.toMillis(settledAt - lastCancel.get()), serverClean.toMillis(), poolIdle.toMillis(), leaked,
          POOL, newWork.toMillis(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          POOL - pool.getTotalConnections(), pool.getTotalConnections(), slowToStop);
      System.out.println(figures);
      record(figures);

      assertThat(leaked).as("connections leaked").isZero();
      // The probes' futures complete before their read transactions are rolled back; then the
      // connections go back.
      long probesBackBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (pool.getIdleConnections() != pool.getTotalConnections() && System.nanoTime() < probesBackBy) {
        Thread.sleep(5);
      }
      assertThat(pool.getIdleConnections()).isEqualTo(pool.getTotalConnections());
      assertThat(newWork).isLessThan(Duration.ofSeconds(5));
      assertThat(cancelled).isGreaterThan(OPERATIONS / 2);
    }
  }

  private static void record(String figures) throws IOException {
    Path file = Path.of("target", "cancel-storm.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, figures + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
