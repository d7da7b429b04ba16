package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;

/**
 * Operations queued behind a cancelled one never run or commit without it: once an operation of a
 * transaction is cancelled, the operations already queued behind it fail with
 * {@link PendingRollbackException} naming it, nothing commits until the caller rolls back, and the
 * connection then works normally. A cancel that costs nothing but its own work (no transaction
 * before it, nothing queued behind it, autocommit mode) poisons nothing. Each case runs many times,
 * cancelled at once and after small random delays; after each: no partial write, nothing checked
 * out, and a new operation succeeds at once.
 */
class CancelQueuedOperationsTest {

  private static final int REPETITIONS = 50;
  private static final long MAX_DELAY_MICROS = 2000;

  private AsyncEngine engine;
  private HikariPoolMXBean pool;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db) {
    engine = db.engine();
    pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
    Schema.recreate(engine.sync(), "cq_rows", "create table cq_rows (id integer primary key, v integer not null)");
    return engine;
  }

  private static long delayMicros(int rep) {
    return rep % 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(MAX_DELAY_MICROS);
  }

  private static void pause(long micros) {
    if (micros > 0) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }
  }

  private long count(String where) {
    return await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from cq_rows where " + where)));
  }

  @DatabaseTest
  void operationsQueuedBehindACancelledOneFailAndNothingCommitsUntilRollback(TestDatabase db) {
    open(db);
    await(engine.runSyncInTransaction(c -> c.execute("insert into cq_rows (id, v) values (1, 0)")));
    int cancelled = 0;
    // Goes on (within a bound) until enough cancels landed before their operation ended.
    for (int rep = 0; rep < REPETITIONS || (cancelled < 3 && rep < REPETITIONS * 10); rep++) {
      long delay = delayMicros(rep);
      String label = "rep " + rep + " cancelled after " + delay + " µs";
      AsyncConnection conn = await(engine.connect());
      CompletableFuture<?> update = conn.execute("update cq_rows set v = v + 1 where id = 1");
      CompletableFuture<?> second = conn.execute("insert into cq_rows (id, v) values (?, 0)", 1000 + rep);
      CompletableFuture<?> third = conn.execute("insert into cq_rows (id, v) values (?, 0)", 2000 + rep);
      CompletableFuture<Void> commit = conn.commit();
      pause(delay);
      if (second.cancel(true)) {
        cancelled++;
        assertThat(failure(third)).as("the insert queued behind, " + label).isInstanceOf(PendingRollbackException.class)
            .hasMessageContaining("connection.execute").hasMessageContaining("rollback()");
        assertThat(failure(commit)).as("the commit queued behind, " + label).isInstanceOf(PendingRollbackException.class);
        assertThat(update).as("the update before it, " + label).succeedsWithin(10, TimeUnit.SECONDS);
        // Nothing committed, and nothing commits before the caller acknowledges with rollback().
        assertThat(failure(conn.commit())).as("a later commit, " + label).isInstanceOf(PendingRollbackException.class);
        assertThat(failure(conn.execute("select 1"))).as("a later statement, " + label).isInstanceOf(PendingRollbackException.class);
        assertThat(count("id = 1 and v = 0")).as("the update rolled back, " + label).isEqualTo(1);
        assertThat(count("id > 1")).as("inserted rows, " + label).isZero();
        await(conn.rollback());
        assertThat(conn.scalar(Integer.class, "select 1")).as("after rollback, " + label)
            .succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(1);
        await(conn.execute("insert into cq_rows (id, v) values (?, 0)", 3000 + rep));
        await(conn.commit());
        assertThat(count("id = " + (3000 + rep))).as("a transaction after rollback commits, " + label).isEqualTo(1);
      } else {
        await(commit); // the cancel came too late: all of it ran and committed
        assertThat(count("id = 1 and v = 1")).isEqualTo(1);
        assertThat(count("id in (" + (1000 + rep) + ", " + (2000 + rep) + ")")).isEqualTo(2);
      }
      await(conn.close());
      await(engine.runSyncInTransaction(c -> {
        c.execute("update cq_rows set v = 0 where id = 1");
        return c.execute("delete from cq_rows where id > 1");
      }));
      assertNothingCheckedOut(label);
    }
    assertThat(cancelled).as("cancels that landed before the operation ended").isGreaterThanOrEqualTo(3);
  }

  @DatabaseTest
  void anExplicitTransactionRefusesToCommitAfterACancelledStepAndItsRollbackAcknowledges(TestDatabase db) {
    open(db);
    for (int rep = 0; rep < REPETITIONS; rep++) {
      long delay = delayMicros(rep);
      String label = "rep " + rep + " cancelled after " + delay + " µs";
      AsyncConnection conn = await(engine.connect());
      CompletableFuture<AsyncTransaction> begun = conn.begin();
      CompletableFuture<?> first = conn.execute("insert into cq_rows (id, v) values (?, 0)", 1000 + rep);
      CompletableFuture<?> second = conn.execute("insert into cq_rows (id, v) values (?, 0)", 2000 + rep);
      AsyncTransaction tx = await(begun);
      CompletableFuture<Void> commit = tx.commit();
      pause(delay);
      boolean cancelled = second.cancel(true);
      Throwable committed = commit.handle((v, f) -> f).join();
      if (cancelled) {
        assertThat(committed).as("the commit, " + label).isInstanceOf(PendingRollbackException.class);
        assertThat(first).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(count("id > 1")).as("rows, " + label).isZero();
        await(tx.rollback()); // the invalidated transaction's own rollback acknowledges
      } else {
        assertThat(committed).as("the commit, " + label).isNull();
        assertThat(count("id > 1")).as("rows, " + label).isEqualTo(2);
      }
      assertThat(conn.scalar(Integer.class, "select 1")).as("after " + label).succeedsWithin(5, TimeUnit.SECONDS);
      await(conn.close());
      await(engine.runSyncInTransaction(c -> c.execute("delete from cq_rows")));
      assertNothingCheckedOut(label);
    }
  }

  @DatabaseTest
  void inTransactionFailsWhenAnOperationOfItsBodyIsCancelledAndWritesNothing(TestDatabase db) {
    open(db);
    for (int rep = 0; rep < REPETITIONS; rep++) {
      long delay = delayMicros(rep);
      String label = "rep " + rep + " cancelled after " + delay + " µs";
      int base = rep * 10;
      AtomicBoolean cancelled = new AtomicBoolean();
      CompletableFuture<?> result = engine.inTransaction(conn -> {
        conn.execute("insert into cq_rows (id, v) values (?, 0)", base + 1);
        CompletableFuture<?> second = conn.execute("insert into cq_rows (id, v) values (?, 0)", base + 2);
        CompletableFuture<?> third = conn.execute("insert into cq_rows (id, v) values (?, 0)", base + 3);
        pause(delay);
        cancelled.set(second.cancel(true));
        return third;
      });
      Throwable failed = result.handle((v, f) -> f).join();
      long rows = count("id between " + (base + 1) + " and " + (base + 3));
      if (cancelled.get()) {
        assertThat(failed).as(label).isInstanceOf(PendingRollbackException.class);
        assertThat(rows).as("rows, " + label).isZero();
      } else {
        assertThat(rows).as("rows, " + label).isEqualTo(3);
      }
      assertNothingCheckedOut(label);
      assertThat(engine.runSync(c -> c.scalar(Integer.class, "select 1"))).succeedsWithin(5, TimeUnit.SECONDS);
    }
  }

  @DatabaseTest
  void cancellingAStandaloneStatementOutsideATransactionDoesNotPoisonTheNext(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    for (int rep = 0; rep < REPETITIONS; rep++) {
      long delay = delayMicros(rep);
      String label = "rep " + rep + " cancelled after " + delay + " µs";
      CompletableFuture<?> alone = conn.execute("insert into cq_rows (id, v) values (?, 0)", 1000 + rep);
      pause(delay);
      boolean cancelled = alone.cancel(true);
      // Nothing was queued behind it and no transaction was open before it: it costs only its own work.
      assertThat(conn.execute("insert into cq_rows (id, v) values (?, 0)", 2000 + rep))
          .as("the next statement, " + label).succeedsWithin(10, TimeUnit.SECONDS);
      await(conn.commit());
      assertThat(count("id = " + (2000 + rep))).as(label).isEqualTo(1);
      if (!cancelled) {
        assertThat(count("id = " + (1000 + rep))).as(label).isEqualTo(1);
      }
    }
    await(conn.close());
    assertNothingCheckedOut("standalone cancels");
  }

  @DatabaseTest
  void inAutocommitModeACancelPoisonsNothing(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    await(conn.withIsolation(IsolationLevel.AUTOCOMMIT));
    for (int rep = 0; rep < REPETITIONS; rep++) {
      long delay = delayMicros(rep);
      String label = "rep " + rep + " cancelled after " + delay + " µs";
      CompletableFuture<?> first = conn.execute("insert into cq_rows (id, v) values (?, 0)", 1000 + rep);
      CompletableFuture<?> second = conn.execute("insert into cq_rows (id, v) values (?, 0)", 2000 + rep);
      CompletableFuture<?> third = conn.execute("insert into cq_rows (id, v) values (?, 0)", 3000 + rep);
      pause(delay);
      second.cancel(true);
      assertThat(first).as(label).succeedsWithin(10, TimeUnit.SECONDS);
      assertThat(third).as("the statement behind the cancelled one, " + label).succeedsWithin(10, TimeUnit.SECONDS);
      // Each statement was its own transaction: the others are kept, with or without the cancelled one.
      assertThat(count("id in (" + (1000 + rep) + ", " + (3000 + rep) + ")")).as(label).isEqualTo(2);
    }
    await(conn.close());
    assertNothingCheckedOut("autocommit cancels");
  }

  @DatabaseTest
  void aCancelledRollbackOrIsolationQueryPoisonsNothing(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    for (int rep = 0; rep < REPETITIONS / 2; rep++) {
      await(conn.execute("insert into cq_rows (id, v) values (?, 0)", 1000 + rep));
      CompletableFuture<?> rollback = conn.rollback();
      CompletableFuture<?> level = conn.isolationLevel();
      CompletableFuture<?> next = conn.execute("insert into cq_rows (id, v) values (?, 0)", 2000 + rep);
      CompletableFuture<Void> commit = conn.commit();
      rollback.cancel(true);
      level.cancel(true);
      assertThat(next).as("rep " + rep).succeedsWithin(10, TimeUnit.SECONDS);
      assertThat(commit).as("rep " + rep).succeedsWithin(10, TimeUnit.SECONDS);
      assertThat(count("id = " + (2000 + rep))).isEqualTo(1);
    }
    await(conn.close());
    assertNothingCheckedOut("cancelled rollbacks");
  }

  /** Wraps every exception in a new one, so that a failure never reaches the caller as the object the body threw. */
  static final class Wrapping implements ExceptionTranslator {
    @Override
    public RuntimeException translate(String operation, String sql, String parameters, SQLException ex) {
      return new IllegalStateException(operation + ": " + ex.getMessage(), ex);
    }

    @Override
    public RuntimeException translateEngineException(AsyncEngineException e) {
      return new IllegalStateException(e.getMessage(), e);
    }
  }

  @DatabaseTest
  void aFailedStatementIsNotACancelAndInvalidatesNothing(TestDatabase db) {
    engine = db.engine(builder -> builder.exceptionTranslator(new Wrapping()));
    pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
    Schema.recreate(engine.sync(), "cq_rows", "create table cq_rows (id integer primary key, v integer not null)");
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("insert into cq_rows (id, v) values (1, 0)"));
    // The engine's own error (too many values), which the translator replaces with a new exception.
    CompletableFuture<?> failing = conn.execute("select * from cq_rows where id = ?", 1, 2);
    CompletableFuture<?> next = conn.execute("select 1");
    CompletableFuture<Void> commit = conn.commit();
    assertThat(failure(failing)).isInstanceOf(IllegalStateException.class);
    assertThat(next).succeedsWithin(5, TimeUnit.SECONDS);
    assertThat(commit).succeedsWithin(5, TimeUnit.SECONDS);
    assertThat(count("id = 1")).isEqualTo(1);
    await(conn.close());
    assertNothingCheckedOut("a failed statement");
  }

  private void assertNothingCheckedOut(String label) {
    CancelFirstStepTest.awaitNothingCheckedOut(engine, pool, label);
  }
}
