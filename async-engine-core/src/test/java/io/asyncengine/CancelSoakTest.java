package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.result.Result;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cancellation soak: the benchmark's cancel workload (1,000 long sleeps submitted at once to a
 * pool of 16, then every future cancelled together) repeated, on PostgreSQL and MariaDB. The
 * sleeps last 120 s, so one the cancel never reached cannot pass for one that stopped. Each round
 * must end with no statement left on the server (PostgreSQL within 10 s; MariaDB within 30 s,
 * because under CPU starvation it has been seen to take seconds to end sessions already in command
 * {@code Killed}) and no connection checked out. When a statement outlives the cancel by more than
 * 1 s (and again at 10 s), the server's activity and the engine's platform threads are written to
 * {@code target/cancel-soak.txt}, so a slow round can be explained.
 *
 * <p>{@code -Dasyncengine.cancelSoakRounds} sets the rounds per database (default 3 in CI).
 */
class CancelSoakTest {

  private static final int POOL = 16;
  private static final int STATEMENTS = 1_000;
  private static final int ROUNDS = Integer.getInteger("asyncengine.cancelSoakRounds", 3);

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void aThousandSleepsCancelledAtOnceLeaveNothingOnTheServerRoundAfterRound(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(POOL).minIdle(POOL).connectionTimeout(Duration.ofSeconds(60)))) {
      HikariPoolMXBean pool = ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
      long worstMillis = 0;
      int slowRounds = 0;
      List<Long> times = new ArrayList<>();
      List<Long> cancelLoops = new ArrayList<>();
      Duration limit = Duration.ofSeconds(db == TestDatabase.POSTGRESQL ? 10 : 30);
      try (Connection monitorConnection = db.rawConnection(db.url());
           Statement monitor = monitorConnection.createStatement()) {
      for (int round = 0; round < ROUNDS; round++) {
        String marker = ServerActivity.marker("soak" + round);
        String sleep = (db == TestDatabase.POSTGRESQL ? "select pg_sleep(120) as " : "select sleep(120) as ") + marker;
        List<CompletableFuture<Result>> futures = new ArrayList<>(STATEMENTS);
        for (int i = 0; i < STATEMENTS; i++) {
          futures.add(engine.runSync(c -> c.execute(sleep)));
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (executing(db, monitor, marker) < POOL && System.nanoTime() < waitUntil) {
          Thread.sleep(10);
        }
        long start = System.nanoTime();
        for (CompletableFuture<Result> future : futures) {
          future.cancel(true);
        }
        long cancelLoop = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        cancelLoops.add(cancelLoop);
        long end = start + limit.toNanos();
        int snapshots = 0;
        int left;
        while ((left = executing(db, monitor, marker)) > 0 && System.nanoTime() < end) {
          long elapsed = System.nanoTime() - start;
          if (snapshots == 0 && elapsed > TimeUnit.SECONDS.toNanos(1)
              || snapshots == 1 && elapsed > TimeUnit.SECONDS.toNanos(10)) {
            if (snapshots++ == 0) {
              slowRounds++;
            }
            snapshot(db, monitor, marker, round, left, elapsed, cancelLoop);
          }
          Thread.sleep(5);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        times.add(millis);
        worstMillis = Math.max(worstMillis, millis);
        if (left > 0) {
          String described = ServerActivity.describe(db, marker);
          terminate(db, monitor, marker);
          assertThat(left).as("statements left on the server " + limit.toSeconds() + " s after the cancel, round "
              + round + ": " + described).isZero();
        }
        long idleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((pool.getActiveConnections() > 0 || engine.gateStats().inUse() > 0) && System.nanoTime() < idleBy) {
          Thread.sleep(10);
        }
        assertThat(pool.getActiveConnections()).as("connections out after round " + round).isZero();
        assertThat(engine.gateStats().inUse()).isZero();
        assertThat(futures).allMatch(CompletableFuture::isDone);
      }
      }
      Integer one = await(engine.runSync(c -> c.scalar(Integer.class, "select 1")));
      assertThat(one).isEqualTo(1);
      String figures = String.format("cancel soak [%s]: %d rounds of %d sleeps on a pool of %d cancelled at once; "
          + "ms until the server showed none: %s (worst %d); rounds over 1 s: %d; ms the 1,000 cancel calls took: %s",
          db, ROUNDS, STATEMENTS, POOL, times, worstMillis, slowRounds, cancelLoops);
      System.out.println(figures);
      write(figures);
    }
  }

  /** Marked statements executing now, read on the test's own monitor connection. */
  private static int executing(TestDatabase db, Statement monitor, String marker) throws SQLException {
    String sql = db == TestDatabase.POSTGRESQL
        ? "select count(*) from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and query like '%"
            + marker + "%'"
        : "select count(*) from information_schema.processlist where id <> connection_id() and info like '%"
            + marker + "%'";
    try (ResultSet rows = monitor.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** Ends what a failed round left, so that it loads no later test. */
  private static void terminate(TestDatabase db, Statement monitor, String marker) throws SQLException {
    if (db == TestDatabase.POSTGRESQL) {
      monitor.execute("select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() "
          + "and query like '%" + marker + "%'");
      return;
    }
    List<Long> ids = new ArrayList<>();
    try (ResultSet rows = monitor.executeQuery("select id from information_schema.processlist where "
        + "id <> connection_id() and info like '%" + marker + "%'")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    for (long id : ids) {
      try {
        monitor.execute("KILL " + id);
      } catch (SQLException ignored) {
        // ended meanwhile
      }
    }
  }

  /** The server's view of the marked statements, and the engine's platform threads, for a slow round. */
  private static void snapshot(TestDatabase db, Statement monitor, String marker, int round, int left, long elapsed,
      long cancelLoopMillis) throws IOException {
    StringBuilder text = new StringBuilder()
        .append("=== ").append(db).append(" round ").append(round).append(": ").append(left)
        .append(" statements still executing ").append(TimeUnit.NANOSECONDS.toMillis(elapsed))
        .append(" ms after the cancel began (the 1,000 cancel calls took ").append(cancelLoopMillis)
        .append(" ms)\n");
    String sql = db == TestDatabase.POSTGRESQL
        ? "select pid, state, wait_event_type, wait_event, now() - query_start as running, "
            + "now() - state_change as in_state, query from pg_stat_activity where query like '%" + marker + "%' "
            + "and pid <> pg_backend_pid()"
        : "select id, user, command, state, time_ms, info from information_schema.processlist where info like '%" + marker
            + "%' and id <> connection_id()";
    try (ResultSet rows = monitor.executeQuery(sql)) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        for (int i = 1; i <= columns; i++) {
          text.append(rows.getMetaData().getColumnLabel(i)).append('=').append(rows.getString(i)).append(' ');
        }
        text.append('\n');
      }
    } catch (SQLException e) {
      text.append("activity not readable: ").append(e).append('\n');
    }
    for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
      String name = thread.getKey().getName();
      if (name.startsWith("async-engine") || name.contains("cancel") || name.contains("HikariPool")) {
        text.append("--- ").append(name).append(' ').append(thread.getKey().getState()).append('\n');
        for (StackTraceElement frame : thread.getValue()) {
          text.append("    at ").append(frame).append('\n');
        }
      }
    }
    write(text.toString());
  }

  private static void write(String text) throws IOException {
    Path file = Path.of("target", "cancel-soak.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
