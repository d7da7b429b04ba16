package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.error.CommitOutcomeUnknownException;
import io.asyncengine.error.ConnectionLostException;
import io.asyncengine.error.OperationalException;
import io.asyncengine.internal.Futures;
import io.asyncengine.options.RetryPolicy;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A killed connection fails only the work that used it, with a clear error, and the pool heals:
 * PostgreSQL's {@code pg_terminate_backend} and MariaDB's {@code KILL} end random engine
 * connections under a load of inserts that each carry a unique key. Afterwards every insert
 * reported committed is in the table once, every one that failed before its COMMIT was sent is
 * absent, every failure is an {@link OperationalException}, one whose COMMIT was in flight
 * ({@link CommitOutcomeUnknownException}) is there at most once, and new work succeeds at once.
 *
 * <p>The kill phase lasts {@code -Dasyncengine.killSeconds} seconds per database (default 12, so
 * that CI stays short; 30 for the full soak).
 */
class ConnectionKillTest {

  private static final String TABLE = "kill_rows";
  private static final int POOL = 8;
  private static final int WORKERS = 16;
  private static final long KILL_SECONDS = Long.getLong("asyncengine.killSeconds", 12);

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void killedConnectionsUnderInsertLoadLoseNoCommittedRowAndWriteNoneTwice(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(POOL).minIdle(POOL).connectionTimeout(Duration.ofSeconds(30)))) {
      Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (k varchar(60) primary key, worker integer)");
      Set<Long> sessions = ConcurrentHashMap.newKeySet();
      Set<String> committed = ConcurrentHashMap.newKeySet();
      Set<String> failedBeforeCommit = ConcurrentHashMap.newKeySet();
      Set<String> outcomeUnknown = ConcurrentHashMap.newKeySet();
      Map<String, Throwable> otherFailures = new ConcurrentHashMap<>();
      Set<String> causes = ConcurrentHashMap.newKeySet();
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicBoolean killing = new AtomicBoolean(true);
      AtomicInteger kills = new AtomicInteger();
      AtomicInteger killsOfGoneSessions = new AtomicInteger();
      String sleep = db == TestDatabase.POSTGRESQL ? "select pg_sleep(0.003)" : "select sleep(0.003)";

      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        workers.add(Thread.ofVirtual().name("kill-load-" + w).start(() -> {
          for (int seq = 0; loading.get(); seq++) {
            String key = db + "-" + worker + "-" + seq;
            try {
              insert(engine, db, key, worker, sleep, sessions).get(60, TimeUnit.SECONDS);
              committed.add(key);
            } catch (Exception e) {
              Throwable failure = Futures.unwrap(e);
              if (failure instanceof CommitOutcomeUnknownException) {
                outcomeUnknown.add(key);
              } else if (failure instanceof OperationalException) {
                failedBeforeCommit.add(key);
                String message = failure.getMessage().replaceAll("\\s+", " ").replaceAll(" \\[.*", "");
                causes.add(failure.getClass().getSimpleName() + " " + message);
              } else {
                otherFailures.put(key, failure);
              }
            }
          }
        }));
      }

      long killUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_SECONDS);
      Thread killer = Thread.ofPlatform().name("killer").start(() -> {
        try (Connection admin = db.rawConnection(db.url()); Statement statement = admin.createStatement()) {
          while (killing.get() && System.nanoTime() < killUntil) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 120));
            List<Long> known = new ArrayList<>(sessions);
            if (known.isEmpty()) {
              continue;
            }
            long victim = known.get(ThreadLocalRandom.current().nextInt(known.size()));
            if (kill(db, statement, victim)) {
              kills.incrementAndGet();
            } else {
              killsOfGoneSessions.incrementAndGet();
            }
            sessions.remove(victim);
          }
        } catch (SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      killer.join(TimeUnit.SECONDS.toMillis(KILL_SECONDS + 60));
      killing.set(false);
      assertThat(killer.isAlive()).isFalse();
      loading.set(false);
      for (Thread worker : workers) {
        worker.join(120_000);
        assertThat(worker.isAlive()).as("load worker ended").isFalse();
      }
      int failedDuringKills = failedBeforeCommit.size() + outcomeUnknown.size();

      // Throughput recovers: after HikariCP's validation window, every new insert succeeds.
      Thread.sleep(1_000);
      long recoveryStart = System.nanoTime();
      List<CompletableFuture<Void>> recovery = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        recovery.add(insert(engine, db, db + "-after-" + i, -1, sleep, ConcurrentHashMap.newKeySet()));
      }
      List<Throwable> recoveryFailures = new CopyOnWriteArrayList<>();
      for (CompletableFuture<Void> future : recovery) {
        try {
          future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          recoveryFailures.add(Futures.unwrap(e));
        }
      }
      long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStart);

      Set<String> present = new HashSet<>();
      long rows = 0;
      try (Connection check = db.rawConnection(db.url()); Statement statement = check.createStatement();
           var result = statement.executeQuery("select k from " + TABLE + " where worker >= 0")) {
        while (result.next()) {
          present.add(result.getString(1));
          rows++;
        }
      }
      Set<String> lost = new HashSet<>(committed);
      lost.removeAll(present);
      Set<String> writtenAfterFailure = new HashSet<>(failedBeforeCommit);
      writtenAfterFailure.retainAll(present);
      long unknownPresent = outcomeUnknown.stream().filter(present::contains).count();
      Set<String> unaccounted = new HashSet<>(present);
      unaccounted.removeAll(committed);
      unaccounted.removeAll(outcomeUnknown);

      HikariPoolMXBean pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
      long idleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((pool.getActiveConnections() > 0 || engine.gateStats().inUse() > 0) && System.nanoTime() < idleBy) {
        Thread.sleep(10);
      }

      String figures = String.format("connection kill [%s]: %d s of kills, %d kills (%d more found the session gone), "
              + "%d inserts committed, %d failed before COMMIT, %d with the COMMIT outcome unknown (%d of them present), "
              + "%d other failures; rows lost %d, rows written although failed %d, rows present not accounted for %d "
              + "(duplicates are impossible: primary key); after the kills 200 inserts: %d failed, %d ms; causes: %s",
          db, KILL_SECONDS, kills.get(), killsOfGoneSessions.get(), committed.size(), failedBeforeCommit.size(),
          outcomeUnknown.size(), unknownPresent, otherFailures.size(), lost.size(), writtenAfterFailure.size(),
          unaccounted.size(), recoveryFailures.size(), recoveryMillis, causes.stream().limit(6).toList());
      System.out.println(figures);
      record(figures);

      assertThat(otherFailures).as("every failure is an OperationalException").isEmpty();
      assertThat(lost).as("committed rows lost").isEmpty();
      assertThat(writtenAfterFailure).as("rows present although their transaction failed before COMMIT").isEmpty();
      assertThat(unaccounted).as("rows nobody wrote").isEmpty();
      assertThat(rows).isEqualTo(present.size());
      assertThat(recoveryFailures).as("new work after the kills").isEmpty();
      assertThat(kills.get()).as("kills performed").isGreaterThan(10);
      assertThat(failedDuringKills).as("the kills failed some work").isPositive();
      assertThat(committed).as("work went on during the kills").isNotEmpty();
      assertThat(pool.getActiveConnections()).as("connections leaked").isZero();
      assertThat(engine.gateStats().inUse()).as("gate permits leaked").isZero();
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void killDuringAStatementIsConnectionLostNamingTheCauseAndTheConnectionIsEvicted(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).minIdle(1))) {
      String slow = db == TestDatabase.POSTGRESQL ? "select pg_sleep(20)" : "select sleep(20)";
      AtomicLong victim = new AtomicLong();
      CompletableFuture<io.asyncengine.result.Result> running = engine.inTransaction(conn -> session(conn, db)
          .thenCompose(id -> {
            victim.set(id);
            return conn.execute(slow);
          }));
      killWhenKnown(db, victim);
      Throwable failure = failure(running);
      assertThat(failure).isInstanceOf(ConnectionLostException.class)
          .hasMessageStartingWith("Connection to the database lost: ");
      // PostgreSQL says why; MariaDB closes the socket of a killed session, and the driver says so.
      assertThat(failure.getMessage()).containsIgnoringCase(db == TestDatabase.POSTGRESQL ? "terminating connection" : "socket");
      // The pool of one connection heals: the next transaction runs on a new session.
      long next = await(engine.inTransaction(conn -> session(conn, db)));
      assertThat(next).isNotEqualTo(victim.get());
      assertThat(engine.gateStats().inUse()).isZero();
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void aCommitOnAKilledConnectionHasAnUnknownOutcomeAndIsNeverRetried(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(2).minIdle(1))) {
      Schema.recreate(engine.sync(), "kill_commit", "create table kill_commit (k integer primary key)");
      AtomicInteger attempts = new AtomicInteger();
      Throwable failure = failure(engine.inTransaction(conn -> {
        attempts.incrementAndGet();
        return conn.execute("insert into kill_commit (k) values (1)")
            .thenCompose(r -> session(conn, db))
            .thenApply(id -> {
              killNow(db, id); // the session ends before the engine sends COMMIT
              return id;
            });
      }, RetryPolicy.defaults().idempotent().withBackoff(Duration.ZERO, Duration.ZERO)));
      assertThat(failure).isInstanceOf(CommitOutcomeUnknownException.class)
          .hasMessageContaining("COMMIT was in flight");
      assertThat(attempts).as("never retried, not even when idempotent").hasValue(1);
      Long count = engine.sync().inTransaction(c -> c.scalar(Long.class, "select count(*) from kill_commit"));
      assertThat(count).isZero(); // here it was not committed; the engine cannot know that
      Schema.drop(engine.sync(), "kill_commit");
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void anIdempotentTransactionKilledBeforeCommitIsRetriedOnAFreshConnection(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(2).minIdle(1))) {
      String slow = db == TestDatabase.POSTGRESQL ? "select pg_sleep(20)" : "select sleep(20)";
      List<Long> sessionsUsed = new CopyOnWriteArrayList<>();
      AtomicLong victim = new AtomicLong();
      RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ZERO, Duration.ofMillis(10));
      CompletableFuture<Long> readOnly = engine.inTransaction(conn -> session(conn, db).thenCompose(id -> {
        sessionsUsed.add(id);
        if (sessionsUsed.size() == 1) {
          victim.set(id);
          return conn.execute(slow).thenApply(r -> id);
        }
        return CompletableFuture.completedFuture(id);
      }), policy.idempotent());
      killWhenKnown(db, victim);
      long committedOn = await(readOnly);
      assertThat(sessionsUsed).hasSize(2);
      assertThat(committedOn).isNotEqualTo(victim.get());

      // Without the idempotent mark, connection loss ends the transaction.
      victim.set(0);
      AtomicInteger attempts = new AtomicInteger();
      CompletableFuture<io.asyncengine.result.Result> notMarked = engine.inTransaction(conn -> {
        attempts.incrementAndGet();
        return session(conn, db).thenCompose(id -> {
          victim.set(id);
          return conn.execute(slow);
        });
      }, policy);
      killWhenKnown(db, victim);
      assertThat(failure(notMarked)).isInstanceOf(ConnectionLostException.class);
      assertThat(attempts).hasValue(1);
    }
  }

  /** One insert of {@code key} in a transaction of its own, recording the session it ran in. */
  private static CompletableFuture<Void> insert(AsyncEngine engine, TestDatabase db, String key, int worker, String sleep,
      Set<Long> sessions) {
    return engine.inTransaction(conn -> session(conn, db)
        .thenCompose(id -> {
          sessions.add(id);
          return conn.execute("insert into " + TABLE + " (k, worker) values (?, ?)", key, worker);
        })
        .thenCompose(r -> conn.execute(sleep))
        .thenApply(r -> null));
  }

  private static CompletableFuture<Long> session(AsyncConnection conn, TestDatabase db) {
    return conn.scalar(Long.class, db == TestDatabase.POSTGRESQL ? "select pg_backend_pid()" : "select connection_id()");
  }

  private static void killWhenKnown(TestDatabase db, AtomicLong victim) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (victim.get() == 0 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(victim.get()).as("session id seen").isNotZero();
    Thread.sleep(300); // let the slow statement reach the server
    killNow(db, victim.get());
  }

  private static void killNow(TestDatabase db, long session) {
    try (Connection admin = db.rawConnection(db.url()); Statement statement = admin.createStatement()) {
      assertThat(kill(db, statement, session)).as("session " + session + " killed").isTrue();
      if (db == TestDatabase.POSTGRESQL) {
        waitGone(statement, session);
      }
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** pg_terminate_backend only signals: wait until the backend has exited. */
  private static void waitGone(Statement statement, long pid) throws SQLException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      try (var rows = statement.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
        rows.next();
        if (rows.getInt(1) == 0) {
          return;
        }
      }
      Thread.sleep(10);
    }
  }

  /** Ends {@code session}; false when it had already ended. */
  private static boolean kill(TestDatabase db, Statement statement, long session) throws SQLException {
    if (db == TestDatabase.POSTGRESQL) {
      try (var rows = statement.executeQuery("select pg_terminate_backend(" + session + ")")) {
        return rows.next() && rows.getBoolean(1);
      }
    }
    try {
      statement.execute("KILL " + session);
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == 1094) { // unknown thread id
        return false;
      }
      throw e;
    }
  }

  private static void record(String figures) throws IOException {
    Path file = Path.of("target", "connection-kill.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, figures + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
