package io.asyncengine.concurrent;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * No {@code synchronized} around I/O or waits in the engine. JFR records every
 * {@code jdk.VirtualThreadPinned} event during a PostgreSQL load on virtual threads (queries,
 * transactions, streams, cancels, a task group); none may have an engine frame on its stack.
 */
class PinningTest {

  @Test
  void noVirtualThreadIsPinnedInEngineCodeUnderAPostgresqlLoad() throws Exception {
    TestDatabase db = TestDatabase.POSTGRESQL;
    List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(8).executorMode(ExecutorMode.VIRTUAL));
        RecordingStream recording = new RecordingStream()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      recording.onEvent("jdk.VirtualThreadPinned", pinned::add);
      // Warm-up: the same load once, unrecorded, and the error path for sure. The first use of a
      // class loads and initializes it, and a virtual thread that meets a class being initialized by
      // another thread waits pinned ("Waited for initialization of ... by another thread": the
      // driver's and the engine's error classes, first used when cancelled statements fail under
      // the load). A one-time cost of first use, not an engine lock.
      runLoad(engine, 80);
      for (int i = 0; i < 3; i++) { // the error path for sure: under the load most cancels hit queued work
        CompletableFuture<?> doomed = engine.runSync(c -> c.execute("select pg_sleep(5)"));
        Thread.sleep(150);
        doomed.cancel(true);
        await(doomed.handle((v, f) -> null));
        await(engine.runSync(c -> c.execute("select * from no_such_table_pinning")).handle((v, f) -> null));
      }
      recording.startAsync();
      runLoad(engine, 400);
      recording.stop();
    }
    List<String> engineFrames = new ArrayList<>();
    for (RecordedEvent event : pinned) {
      if (event.getStackTrace() == null || loadsAClass(event)) {
        continue;
      }
      System.out.println("JFR pinned: " + event.getValue("blockingOperation") + ", " + event.getValue("pinnedReason") + " at "
          + event.getStackTrace().getFrames().stream().map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName()).toList());
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        String type = frame.getMethod().getType().getName();
        if (type.startsWith("io.asyncengine.")) {
          engineFrames.add(type + "." + frame.getMethod().getName() + " in " + event.getStackTrace().getFrames().get(0).getMethod().getName());
        }
      }
    }
    System.out.println("JFR pinning: " + pinned.stream().filter(PinningTest::loadsAClass).count()
        + " of the events below are class loading, ignored; ");
    System.out.println("JFR pinning: " + pinned.size() + " jdk.VirtualThreadPinned events during the load, "
        + engineFrames.size() + " engine frames");
    assertThat(engineFrames).as("engine frames in pinned stacks").isEmpty();
  }

  /** Queries, transactions, streams, cancelled statements and a task group, all awaited. */
  private static void runLoad(AsyncEngine engine, int operations) {
    List<CompletableFuture<?>> load = new ArrayList<>();
    for (int i = 0; i < operations; i++) {
      int n = i;
      load.add(switch (i % 4) {
        case 0 -> engine.runSync(c -> c.scalar(Integer.class, "select ?::int", n));
        case 1 -> engine.inTransaction(conn -> conn.execute("select pg_sleep(0.005)"));
        case 2 -> engine.runSync(c -> c.stream("select generate_series(1, 2000)").count());
        default -> {
          CompletableFuture<?> doomed = engine.runSync(c -> c.execute("select pg_sleep(5)"));
          CompletableFuture.delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> doomed.cancel(true));
          yield doomed.handle((v, f) -> null);
        }
      });
    }
    try (TaskGroup group = engine.taskGroup()) {
      for (int i = 0; i < 20; i++) {
        group.fork(() -> engine.runSync(c -> c.scalar(Integer.class, "select 1")).join());
      }
    }
    for (CompletableFuture<?> future : load) {
      await(future.handle((v, f) -> null));
    }
  }

  /** A pin taken by the JVM while loading a class: a one-time cost of first use, not a lock of ours. */
  private static boolean loadsAClass(RecordedEvent event) {
    return event.getStackTrace() != null && event.getStackTrace().getFrames().stream().anyMatch(frame ->
        frame.getMethod().getType().getName().equals("java.lang.ClassLoader") || frame.getMethod().getName().startsWith("loadClass"));
  }
}
