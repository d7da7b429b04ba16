package io.asyncengine.bench;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.concurrent.ExecutorMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The measurement behind {@code ExecutorMode.AUTO} for SQLite (docs/concurrency.md): the same
 * SQLite load under {@code VIRTUAL} and {@code PLATFORM}, reporting throughput and how late an
 * unrelated virtual thread wakes up meanwhile (sqlite-jdbc's JNI calls pin the carrier they run on,
 * so under {@code VIRTUAL} they compete with every other virtual thread of the application).
 *
 * <p>Run: {@code java -cp <test classpath> io.asyncengine.bench.ExecutorModeHarness [operations]}.
 */
public final class ExecutorModeHarness {

  private ExecutorModeHarness() {}

  /** Runs the comparison and prints one line per mode and round. */
  public static void main(String[] args) throws Exception {
    int operations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    System.out.printf("cores %d, operations %d, pool 8, SQLite file%n", Runtime.getRuntime().availableProcessors(), operations);
    for (int round = 0; round < 3; round++) {
      for (ExecutorMode mode : new ExecutorMode[] {ExecutorMode.VIRTUAL, ExecutorMode.PLATFORM}) {
        run(mode, operations, round);
      }
    }
  }

  private static void run(ExecutorMode mode, int operations, int round) throws Exception {
    Path file = Files.createTempFile("executor-mode-", ".db");
    try (AsyncEngine engine = AsyncEngine.builder().url("jdbc:sqlite:" + file).maxPoolSize(8).executorMode(mode).build()) {
      engine.runSyncInTransaction(c -> {
        c.execute("create table t (id integer primary key, x integer)");
        List<io.asyncengine.core.Params> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
          rows.add(io.asyncengine.core.Params.of(i, i % 97));
        }
        return c.executeMany("insert into t (id, x) values (?, ?)", rows);
      }).join();
      // A probe: an unrelated virtual thread asking to sleep 1 ms, measuring how late it wakes.
      AtomicBoolean running = new AtomicBoolean(true);
      List<Long> lags = new ArrayList<>();
      Thread probe = Thread.ofVirtual().start(() -> {
        while (running.get()) {
          long start = System.nanoTime();
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
          lags.add(System.nanoTime() - start - 1_000_000);
        }
      });
      long start = System.nanoTime();
      List<CompletableFuture<Long>> futures = new ArrayList<>(operations);
      for (int i = 0; i < operations; i++) {
        int from = (i * 37) % 19_000;
        futures.add(engine.runSync(c -> c.scalar(Long.class, "select sum(x) from t where id between ? and ?", from, from + 500)));
      }
      for (CompletableFuture<Long> future : futures) {
        future.join();
      }
      long elapsed = System.nanoTime() - start;
      running.set(false);
      probe.join();
      long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
      long p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
      long p99 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)];
      long max = sorted.length == 0 ? 0 : Arrays.stream(sorted).max().getAsLong();
      System.out.printf("round %d %-8s %7.0f ops/s   probe wake-up lag p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
          round, mode, operations / (elapsed / 1e9), p50 / 1e6, p99 / 1e6, max / 1e6, sorted.length);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
