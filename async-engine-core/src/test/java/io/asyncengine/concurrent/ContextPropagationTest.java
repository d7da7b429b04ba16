package io.asyncengine.concurrent;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A caller's thread-bound context reaches the lane, the continuations, task-group tasks, session
 * operations and stream signals, in every executor arrangement, and never leaks into the next
 * operation on a reused thread.
 */
class ContextPropagationTest {

  private static final String TABLE = "ctxprop_items";
  private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

  /** A propagator for {@link #REQUEST}, written as a user would write one for their own thread local. */
  private static final ContextPropagator REQUEST_PROPAGATOR = task -> {
    String captured = REQUEST.get();
    return () -> {
      String previous = REQUEST.get();
      set(captured);
      try {
        task.run();
      } finally {
        set(previous);
      }
    };
  };

  private static final List<UnaryOperator<AsyncEngine.Builder>> ARRANGEMENTS = List.of(
      b -> b.executorMode(ExecutorMode.PLATFORM),
      b -> b.executorMode(ExecutorMode.PLATFORM).virtualContinuations(true),
      b -> b.executorMode(ExecutorMode.VIRTUAL));

  @DatabaseTest
  void theCallersContextReachesEveryThreadThatWorksForIt(TestDatabase db) throws Exception {
    for (UnaryOperator<AsyncEngine.Builder> arrangement : ARRANGEMENTS) {
      try (AsyncEngine engine = db.engine(b -> arrangement.apply(b).contextPropagator(REQUEST_PROPAGATOR))) {
        REQUEST.set("request-1");
        try {
          String onLane = await(engine.runSync(c -> REQUEST.get()));
          assertThat(onLane).as("lane").isEqualTo("request-1");
          AsyncConnection conn = await(engine.connect().thenApply(c -> {
            assertThat(REQUEST.get()).as("connect continuation").isEqualTo("request-1");
            return c;
          }));
          String inContinuation = await(conn.scalar(Integer.class, "select 1").thenApply(one -> REQUEST.get()));
          assertThat(inContinuation).as("operation continuation").isEqualTo("request-1");
          await(conn.execute("drop table if exists " + TABLE));
          await(conn.execute("create table " + TABLE + " (id integer primary key)"));
          await(conn.execute("insert into " + TABLE + " (id) values (1), (2)"));
          await(conn.commit());
          assertThat(streamedContexts(conn)).as("stream signals").containsOnly("request-1").hasSize(3);
          try (TaskGroup group = engine.taskGroup()) {
            var inTask = group.fork(REQUEST::get);
            group.join();
            assertThat(inTask.join()).as("task-group task").isEqualTo("request-1");
          }
          String inSession = await(AsyncSessionFactory.of(engine).runInTransaction(session -> REQUEST.get()));
          assertThat(inSession).as("session operation").isEqualTo("request-1");

          REQUEST.remove();
          String nextOnLane = await(conn.runSync(c -> Objects.requireNonNullElse(REQUEST.get(), "none")));
          assertThat(nextOnLane).as("next operation on the same lane, submitted without context").isEqualTo("none");
          String nextContinuation = await(conn.scalar(Integer.class, "select 1")
              .thenApply(one -> Objects.requireNonNullElse(REQUEST.get(), "none")));
          assertThat(nextContinuation).as("its continuation").isEqualTo("none");
          await(conn.close());
        } finally {
          REQUEST.remove();
        }
        long end = System.nanoTime() + 5_000_000_000L; // a permit given back on the lane may trail its future
        while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
          Thread.sleep(10);
        }
        assertThat(engine.gateStats().inUse()).isZero();
      }
    }
  }

  @Test
  void propagatorsComposeInOrderWithTheFirstOutermost() {
    List<String> calls = new ArrayList<>();
    ContextPropagator outer = task -> () -> {
      calls.add("outer in");
      task.run();
      calls.add("outer out");
    };
    ContextPropagator inner = task -> () -> {
      calls.add("inner in");
      task.run();
      calls.add("inner out");
    };
    ContextPropagator.of(List.of(outer, inner)).propagate(() -> calls.add("task")).run();
    assertThat(calls).containsExactly("outer in", "inner in", "task", "inner out", "outer out");
    assertThat(ContextPropagator.of(List.of())).isSameAs(ContextPropagator.NONE);
  }

  private static void set(@Nullable String value) {
    if (value == null) {
      REQUEST.remove();
    } else {
      REQUEST.set(value);
    }
  }

  /** The context seen by each signal of a two-row stream: two rows, then the completion. */
  private static List<String> streamedContexts(AsyncConnection conn) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    conn.stream("select id from " + TABLE + " order by id").subscribe(new Flow.Subscriber<Row>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Row item) {
        record();
      }

      @Override
      public void onError(Throwable throwable) {
        done.countDown();
      }

      @Override
      public void onComplete() {
        record();
        done.countDown();
      }

      private void record() {
        synchronized (seen) {
          seen.add(Objects.requireNonNullElse(REQUEST.get(), "none"));
        }
      }
    });
    assertThat(done.await(30, TimeUnit.SECONDS)).as("stream ended").isTrue();
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }
}
