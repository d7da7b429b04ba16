package io.asyncengine.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** TaskGroup (anyio's task groups and cancel scopes) and its deadlines, on every database. */
class TaskGroupTest {

  @DatabaseTest
  void taskGroupFailureCancelsSiblingsAndTheirStatementsOnTheServer(TestDatabase db) {
    String marker = ServerActivity.marker("tg_sibling_" + db);
    try (AsyncEngine engine = db.engine()) {
      List<CompletableFuture<?>> siblings = new ArrayList<>();
      long start = System.nanoTime();
      TaskGroup group = engine.taskGroup();
      for (int i = 0; i < 3; i++) {
        siblings.add(group.fork(() -> engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker))).join()));
      }
      group.fork(() -> {
        Thread.sleep(300);
        throw new IllegalStateException("boom");
      });
      assertThatThrownBy(group::join).isInstanceOf(IllegalStateException.class).hasMessage("boom");
      group.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(siblings).allMatch(CompletableFuture::isCancelled);
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
      awaitPoolIdle(engine);
    }
  }

  @DatabaseTest
  void taskGroupJoinRethrowsTheFirstFailureWithTheOthersSuppressed(TestDatabase db) {
    try (AsyncEngine engine = db.engine()) {
      TaskGroup group = engine.taskGroup();
      CompletableFuture<Integer> fine = group.fork(() -> 7);
      assertThat(fine.join()).isEqualTo(7); // done before anything fails: keeps its value
      // Forked before the failing task: forked after it, it lost the race whenever SQLite failed
      // the statement before this thread got to fork, and the cancelled group refused it.
      group.fork(() -> {
        // Ignores the cancel on purpose, then fails on its own: a second, independent failure.
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        throw new IllegalArgumentException("second");
      });
      group.fork(() -> engine.runSync(c -> c.execute("select * from no_such_table_tg")).join());
      Throwable thrown = catchThrowable(group::join);
      assertThat(thrown).isInstanceOf(ProgrammingException.class).hasMessageContaining("no_such_table_tg");
      assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(IllegalArgumentException.class);
      assertThat(fine.join()).isEqualTo(7);
      group.close(); // already reported by join: does not throw again
    }
  }

  @DatabaseTest
  void taskGroupDeadlineCancelsStatementsOnTheServerAndFailsWithStatementTimeout(TestDatabase db) {
    String marker = ServerActivity.marker("tg_deadline_" + db);
    try (AsyncEngine engine = db.engine()) {
      long start = System.nanoTime();
      TaskGroup group = engine.taskGroup().withDeadline(Duration.ofMillis(500));
      CompletableFuture<Object> slow = group.fork(() -> engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker))).join());
      assertThatThrownBy(group::close).isInstanceOf(StatementTimeoutException.class).hasMessageContaining("500 ms");
      assertThat(slow).isCancelled();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
      awaitPoolIdle(engine);
    }
  }

  @DatabaseTest
  void nestedTaskGroupsAreCancelledWithTheirEnclosingTask(TestDatabase db) {
    String marker = ServerActivity.marker("tg_nested_" + db);
    try (AsyncEngine engine = db.engine()) {
      TaskGroup outer = engine.taskGroup();
      List<CompletableFuture<?>> inner = new ArrayList<>();
      outer.fork(() -> {
        try (TaskGroup nested = TaskGroup.open()) {
          for (int i = 0; i < 2; i++) {
            inner.add(nested.fork(() -> engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker))).join()));
          }
          nested.join();
        }
        return null;
      });
      outer.fork(() -> {
        Thread.sleep(400);
        throw new IllegalStateException("outer failure");
      });
      assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessage("outer failure");
      assertThat(inner).hasSize(2).allMatch(CompletableFuture::isCancelled);
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
      awaitPoolIdle(engine);
    }
  }

  @DatabaseTest
  void aTaskGroupClosedWhileTasksStillRunWaitsForEveryTask(TestDatabase db) {
    try (AsyncEngine engine = db.engine()) {
      AtomicInteger finished = new AtomicInteger();
      TaskGroup group = engine.taskGroup();
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int n = i;
        results.add(group.fork(() -> {
          Thread.sleep(300);
          Integer value = engine.runSync(c -> c.scalar(Integer.class, "select " + n)).join();
          finished.incrementAndGet();
          return value;
        }));
      }
      group.close(); // tasks are still sleeping when close() is called
      assertThat(finished).hasValue(4);
      assertThat(results).extracting(CompletableFuture::join).containsExactly(0, 1, 2, 3);
      assertThatThrownBy(() -> group.fork(() -> 1)).isInstanceOf(IllegalStateException.class);
    }
  }

  @DatabaseTest
  void cancellingOneTaskOfATaskGroupCancelsItsStatementButNotTheGroup(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("tg_one_" + db);
    try (AsyncEngine engine = db.engine()) {
      try (TaskGroup group = engine.taskGroup()) {
        CompletableFuture<Object> slow = group.fork(() -> engine.runSync(c -> c.execute(ServerActivity.slowQuery(db, marker))).join());
        CompletableFuture<Integer> other = group.fork(() -> engine.runSync(c -> c.scalar(Integer.class, "select 5")).join());
        Thread.sleep(300);
        assertThat(slow.cancel(true)).isTrue();
        assertThat(other.join()).isEqualTo(5);
        group.join(); // a cancelled task is not a failure
        assertThat(group.isCancelled()).isFalse();
      }
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(10));
      awaitPoolIdle(engine);
    }
  }

  static void awaitPoolIdle(AsyncEngine engine) {
    var pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
    long end = System.nanoTime() + 10_000_000_000L;
    while ((pool.getActiveConnections() > 0 || engine.gateStats().inUse() > 0) && System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    assertThat(pool.getActiveConnections()).as("connections in use").isZero();
    assertThat(engine.gateStats().inUse()).as("gate permits in use").isZero();
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
