package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.mapping.Table;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;

/**
 * Cancelling a composed future whose first step is a connect, at once (0 µs) and after small random
 * delays: the cancel must reach the step in progress, so no connection stays checked out, the
 * engine serves the next operation at once, and a transaction of two inserts is all or nothing.
 */
class CancelFirstStepTest {

  /** Repetitions of each case on each database: half cancelled at once, half after a random delay. */
  private static final int REPETITIONS = 50;
  private static final long MAX_DELAY_MICROS = 3000;
  /** Real cancels (the future was still pending) a case needs before its checks count. */
  private static final int MIN_CANCELLED = 3;

  @Table("cancelfirst_items")
  record Item(Long id, String name) {}

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db) {
    engine = db.engine();
    Schema.recreate(engine.sync(), "cancelfirst_rows", "create table cancelfirst_rows (batch integer not null, n integer not null)");
    Schema.recreate(engine.sync(), "cancelfirst_items", "create table cancelfirst_items (id integer primary key, name varchar(50))");
    await(engine.runSyncInTransaction(c -> c.execute("insert into cancelfirst_items (id, name) values (1, 'one')")));
    return engine;
  }

  @DatabaseTest
  void cancellingConnectReturnsTheConnection(TestDatabase db) {
    sweep(open(db), "connect", rep -> engine.connect());
  }

  @DatabaseTest
  void cancellingEngineBeginReturnsTheConnection(TestDatabase db) {
    sweep(open(db), "begin", rep -> engine.begin());
  }

  @DatabaseTest
  void cancellingInTransactionReturnsTheConnectionAndWritesAllOrNothing(TestDatabase db) {
    sweep(open(db), "inTransaction", rep -> engine.inTransaction(conn -> conn.execute(insert(), rep, 1)
        .thenCompose(r -> conn.execute(insert(), rep, 2))));
  }

  @DatabaseTest
  void cancellingRunSyncReturnsTheConnection(TestDatabase db) {
    sweep(open(db), "runSync", rep -> engine.runSync(c -> c.scalar(Integer.class, "select 1")));
  }

  @DatabaseTest
  void cancellingRunSyncInTransactionReturnsTheConnectionAndWritesAllOrNothing(TestDatabase db) {
    sweep(open(db), "runSyncInTransaction", rep -> engine.runSyncInTransaction(c -> {
      c.execute(insert(), rep, 1);
      return c.execute(insert(), rep, 2);
    }));
  }

  @DatabaseTest
  void cancellingConnectThenExecuteChainReturnsTheConnection(TestDatabase db) {
    // A chain the caller composes: only the engine's own futures can be cancelled, so the caller
    // cancels the connect; the chain's later steps never run.
    sweep(open(db), "connect-chain", rep -> {
      CompletableFuture<AsyncConnection> connecting = engine.connect();
      connecting.thenCompose(conn -> conn.execute(insert(), rep, 1)
          .thenCompose(r -> conn.execute(insert(), rep, 2))
          .thenCompose(r -> conn.commit())
          .whenComplete((v, f) -> conn.close()));
      return connecting;
    });
  }

  @DatabaseTest
  void cancellingASessionsFirstGetReturnsTheConnection(TestDatabase db) {
    AsyncSessionFactory factory = AsyncSessionFactory.of(open(db));
    sweep(engine, "session.get", rep -> {
      AsyncSession session = factory.openSession();
      CompletableFuture<?> get = session.get(Item.class, 1L);
      get.whenComplete((v, f) -> session.close());
      return get;
    });
  }

  @DatabaseTest
  void cancellingASessionFactoryTransactionReturnsTheConnectionAndWritesAllOrNothing(TestDatabase db) {
    AsyncSessionFactory factory = AsyncSessionFactory.of(open(db));
    sweep(engine, "sessionFactory.inTransaction", rep -> factory.inTransaction(session -> session.execute(insert(), rep, 1)
        .thenCompose(r -> session.execute(insert(), rep, 2))));
  }

  private static String insert() {
    return "insert into cancelfirst_rows (batch, n) values (?, ?)";
  }

  /**
   * Runs {@code start} at least {@value #REPETITIONS} times (more, up to ten times that, until
   * {@value #MIN_CANCELLED} cancels took), cancels each future, half at once and half after a random
   * delay, and checks the engine after each.
   */
  private void sweep(AsyncEngine engine, String name, IntFunction<CompletableFuture<?>> start) {
    HikariPoolMXBean pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
    int cancelled = 0;
    // A connect from a warm pool can complete before the cancel; the sweep goes on (within a bound)
    // until it has made enough real cancels.
    for (int rep = 0; rep < REPETITIONS || (cancelled < MIN_CANCELLED && rep < REPETITIONS * 10); rep++) {
      long delayMicros = rep % 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(MAX_DELAY_MICROS);
      CompletableFuture<?> future = start.apply(rep);
      if (delayMicros > 0) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros));
      }
      if (future.cancel(true)) {
        cancelled++;
      } else if (future.getNow(null) instanceof AsyncConnection won) {
        await(won.close()); // the cancel came too late: the caller owns the connection
      }
      String label = name + " #" + rep + " cancelled after " + delayMicros + " µs";
      awaitNothingCheckedOut(engine, pool, label);
      CompletableFuture<Integer> probe = engine.runSync(c -> c.scalar(Integer.class, "select 1"));
      assertThat(probe).as("a new operation after " + label).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(1);
      int batch = rep;
      Long rows = await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from cancelfirst_rows where batch = ?", batch)));
      assertThat(rows).as("rows written by " + label).isIn(0L, 2L);
      awaitNothingCheckedOut(engine, pool, label + " and a probe");
    }
    assertThat(cancelled).as("futures the sweep actually cancelled").isGreaterThanOrEqualTo(MIN_CANCELLED);
  }

  /** Nothing checked out, neither from HikariCP nor from the gate, within 5 s. */
  static void awaitNothingCheckedOut(AsyncEngine engine, HikariPoolMXBean pool, String label) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((pool.getActiveConnections() > 0 || engine.gateStats().inUse() > 0) && System.nanoTime() < end) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    assertThat(pool.getActiveConnections()).as("HikariCP connections checked out after " + label).isZero();
    assertThat(engine.gateStats().inUse()).as("gate permits in use after " + label).isZero();
  }
}
