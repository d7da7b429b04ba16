package io.asyncengine.testing;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.result.Row;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@code StreamMemoryTest}: streams a query through {@code stream()} with a
 * subscriber that requests 256 rows at a time, then prints the row count and the peak heap used.
 * Run with a small {@code -Xmx}: if the engine buffered the result, it would die of OutOfMemoryError.
 */
public final class StreamRowsMain {

  private StreamRowsMain() {}

  /** Arguments: JDBC URL, SQL. */
  public static void main(String[] args) throws Exception {
    try (AsyncEngine engine = AsyncEngine.builder().url(args[0]).maxPoolSize(1).build()) {
      AsyncConnection connection = engine.connect().get(30, TimeUnit.SECONDS);
      CompletableFuture<Long> done = new CompletableFuture<>();
      connection.stream(args[1]).subscribe(new Flow.Subscriber<Row>() {
        private Flow.Subscription subscription;
        private long count;
        private int sinceRequest;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          s.request(256);
        }

        @Override
        public void onNext(Row row) {
          count++;
          if (row.get(1, String.class).length() != 100) {
            done.completeExceptionally(new AssertionError("bad row " + row));
          }
          if (++sinceRequest == 256) {
            sinceRequest = 0;
            subscription.request(256);
          }
        }

        @Override
        public void onError(Throwable throwable) {
          done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
          done.complete(count);
        }
      });
      long rows = done.get(5, TimeUnit.MINUTES);
      connection.close().get(30, TimeUnit.SECONDS);
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("rows=" + rows + " peakHeapMiB=" + peak / (1024 * 1024));
    }
  }
}
