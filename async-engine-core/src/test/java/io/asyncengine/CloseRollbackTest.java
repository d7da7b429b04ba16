package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.FreezingProxy;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code close()} completes once the caller's work is done; the rollback of what was not committed
 * follows on the connection's lane, and only then is the connection (and its admission permit)
 * back: a row lock (SQLite: the write lock) taken by the closed connection is still held when the
 * caller's continuation runs and gone afterwards, the next borrower never sees the closed
 * connection's uncommitted work, a rollback that fails or hangs evicts the connection, and
 * disposal waits for the rollback.
 */
class CloseRollbackTest {

  private static final String TABLE = "close_rollback_rows";

  @DatabaseTest
  void closeCompletesBeforeTheRollbackThatFollowsOnTheLane(TestDatabase db) throws Exception {
    String url = db.url();
    try (AsyncEngine engine = db.engine(b -> b.url(url))) {
      prepare(engine);
      AsyncConnection conn = await(engine.connect());
      await(conn.execute("update " + TABLE + " set n = n + 1 where id = 1"));
      CountDownLatch hold = new CountDownLatch(1);
      conn.runSync(c -> waitFor(hold)); // so that the continuation below is attached before close runs
      // With the core's defaults, close's future completes on the lane, so this runs there, before
      // the lane goes on to the rollback.
      CompletableFuture<List<Object>> atClose = conn.close().thenApply(ignored -> List.of(
          rowLocked(db, url), engine.gateStats().inUse()));
      hold.countDown();
      List<Object> seen = await(atClose);
      assertThat(seen.get(0)).as("the row lock is still held when close() has completed").isEqualTo(true);
      assertThat(seen.get(1)).as("the permit is still held until the rollback is done").isEqualTo(1);
      awaitCondition(() -> !rowLocked(db, url), "the rollback releases the lock");
      awaitCondition(() -> engine.gateStats().inUse() == 0, "the permit comes back after the rollback");
      Integer n = await(engine.runSync(c -> c.execute("select n from " + TABLE + " where id = 1").scalar(Integer.class)));
      assertThat(n).as("the update was rolled back").isZero();
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @DatabaseTest
  void theNextBorrowerNeverSeesTheClosedConnectionsUncommittedWork(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).minIdle(1))) {
      prepare(engine);
      for (int i = 0; i < 50; i++) {
        AsyncConnection writer = await(engine.connect());
        await(writer.execute("insert into " + TABLE + " (id, n) values (?, ?)", 100 + i, i));
        writer.close(); // not awaited: the next connect queues for the only connection
        AsyncConnection reader = await(engine.connect());
        Integer seen = await(reader.scalar(Integer.class, "select count(*) from " + TABLE));
        assertThat(seen).as("rows seen by the next borrower, round " + i).isEqualTo(1);
        await(reader.close());
      }
      // The same through sessions and the transaction helpers, whose futures complete before the rollback.
      AsyncSessionFactory sessions = AsyncSessionFactory.of(engine);
      for (int i = 0; i < 20; i++) {
        int id = 200 + i;
        AsyncSession session = sessions.openSession();
        await(session.execute("insert into " + TABLE + " (id, n) values (?, 0)", id));
        await(session.closeAsync());
        CompletableFuture<Object> failed = engine.inTransaction(c -> c.execute("insert into " + TABLE
            + " (id, n) values (?, 0)", id + 1000).<Object>thenCompose(r -> CompletableFuture.failedFuture(new IllegalStateException("no"))));
        assertThat(failed).failsWithin(Duration.ofSeconds(30));
        Integer count = await(engine.inTransaction(c -> c.scalar(Integer.class, "select count(*) from " + TABLE)));
        assertThat(count).as("rows seen after a closed session and a failed transaction, round " + i).isEqualTo(1);
      }
      awaitCondition(() -> engine.gateStats().inUse() == 0, "every permit back");
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void aRollbackThatFailsEvictsTheConnectionInsteadOfReturningIt(TestDatabase db) throws Exception {
    String url = db.url();
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).minIdle(1))) {
      prepare(engine);
      AsyncConnection conn = await(engine.connect());
      await(conn.execute("update " + TABLE + " set n = n + 1 where id = 1"));
      long victim = await(conn.scalar(Long.class, sessionIdQuery(db)));
      CountDownLatch hold = new CountDownLatch(1);
      conn.runSync(c -> waitFor(hold));
      CompletableFuture<Void> closed = conn.close();
      try (Connection raw = db.rawConnection(url); Statement s = raw.createStatement()) {
        s.execute(db == TestDatabase.POSTGRESQL ? "select pg_terminate_backend(" + victim + ")" : "kill " + victim);
        awaitCondition(() -> !sessionAlive(db, raw, victim), "the killed session is gone");
      }
      hold.countDown();
      await(closed); // the caller is not told: its work was done, and the connection is evicted
      long next = await(engine.runSync(c -> c.execute(sessionIdQuery(db)).scalar(Long.class)));
      assertThat(next).as("the next borrower gets a new session, not the broken one").isNotEqualTo(victim);
      awaitCondition(() -> engine.gateStats().inUse() == 0, "the permit comes back");
      Integer n = await(engine.runSync(c -> c.execute("select n from " + TABLE + " where id = 1").scalar(Integer.class)));
      assertThat(n).isZero();
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void aRollbackThatHangsIsCutOffAtTheConnectionTimeoutAndTheConnectionEvicted(TestDatabase db) throws Exception {
    String url = db.url();
    java.net.URI server = java.net.URI.create(url.substring("jdbc:".length()));
    try (FreezingProxy proxy = new FreezingProxy(server.getHost(), server.getPort())) {
      String proxied = url.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port());
      try (AsyncEngine engine = db.engine(b -> b.url(proxied).maxPoolSize(1).minIdle(1)
          .connectionTimeout(Duration.ofSeconds(1)))) {
        prepare(engine);
        AsyncConnection conn = await(engine.connect());
        await(conn.execute("update " + TABLE + " set n = n + 1 where id = 1"));
        proxy.freeze(); // the network drops everything from here on: the rollback will wait for ever
        long start = System.nanoTime();
        await(conn.close());
        assertThat(engine.gateStats().inUse()).as("the hung rollback still holds the permit").isEqualTo(1);
        awaitCondition(() -> engine.gateStats().inUse() == 0, "the rollback is cut off and the permit comes back");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("cut off at the connection timeout of 1 s").isGreaterThanOrEqualTo(900);
        proxy.thaw(); // the evicted connection's server session ends; new ones work
        Integer n = await(engine.runSync(c -> c.execute("select n from " + TABLE + " where id = 1").scalar(Integer.class)));
        assertThat(n).as("the update was never committed").isZero();
        Schema.drop(engine.sync(), TABLE);
      }
    }
  }

  @DatabaseTest
  void disposeWaitsForTheRollbackOfAClosedConnection(TestDatabase db) throws Exception {
    String url = db.url();
    AsyncEngine engine = db.engine(b -> b.url(url));
    prepare(engine);
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("update " + TABLE + " set n = n + 1 where id = 1"));
    CountDownLatch hold = new CountDownLatch(1);
    conn.runSync(c -> waitFor(hold));
    List<CompletableFuture<Void>> disposal = new ArrayList<>();
    // Runs on the lane before the rollback: dispose() has begun while the rollback has not.
    CompletableFuture<Boolean> disposedEarly = conn.close().thenApply(ignored -> {
      disposal.add(engine.dispose());
      sleep(300);
      return disposal.get(0).isDone();
    });
    hold.countDown();
    assertThat(await(disposedEarly)).as("dispose() finished while a rollback was pending").isFalse();
    await(disposal.get(0));
    assertThat(rowLocked(db, url)).as("the rollback ran before disposal ended").isFalse();
    try (Connection raw = db.rawConnection(url); Statement s = raw.createStatement();
         ResultSet rs = s.executeQuery("select n from " + TABLE + " where id = 1")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
      s.execute("drop table " + TABLE);
    }
  }

  @DatabaseTest
  void closingWithNothingBegunReturnsTheConnectionBeforeTheFutureCompletes(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).minIdle(1))) {
      prepare(engine);
      AsyncConnection committed = await(engine.connect());
      await(committed.execute("update " + TABLE + " set n = n + 1 where id = 1"));
      await(committed.commit());
      int afterCommit = await(committed.close().thenApply(ignored -> engine.gateStats().inUse()));
      assertThat(afterCommit).as("nothing to roll back: the permit is back when close() completes").isZero();
      AsyncConnection untouched = await(engine.connect());
      int afterNothing = await(untouched.close().thenApply(ignored -> engine.gateStats().inUse()));
      assertThat(afterNothing).isZero();
      Schema.drop(engine.sync(), TABLE);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void prepare(AsyncEngine engine) {
    Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (id integer primary key, n integer not null)");
    engine.sync().inTransaction(c -> c.execute("insert into " + TABLE + " (id, n) values (1, 0)"));
  }

  /** Whether another connection finds row 1 locked (SQLite: the database's write lock taken), without waiting. */
  private static boolean rowLocked(TestDatabase db, String url) {
    try (Connection raw = db.rawConnection(url); Statement s = raw.createStatement()) {
      try {
        if (db.isSqlite()) {
          s.execute("pragma busy_timeout = 0");
          s.execute("begin immediate");
          s.execute("rollback");
        } else {
          s.execute("select n from " + TABLE + " where id = 1 for update nowait");
        }
        return false;
      } catch (SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if ("55P03".equals(e.getSQLState()) || message.contains("lock")) {
          return true;
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sessionIdQuery(TestDatabase db) {
    return db == TestDatabase.POSTGRESQL ? "select cast(pg_backend_pid() as bigint)" : "select connection_id()";
  }

  private static boolean sessionAlive(TestDatabase db, Connection raw, long id) {
    String sql = db == TestDatabase.POSTGRESQL ? "select count(*) from pg_stat_activity where pid = " + id
        : "select count(*) from information_schema.processlist where id = " + id;
    try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
