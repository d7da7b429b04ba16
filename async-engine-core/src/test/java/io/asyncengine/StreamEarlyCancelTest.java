package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/**
 * Streams that stop before their last row: the subscriber cancels while rows flow, cancels right
 * after the first rows (from {@code onNext} and from another thread), or throws in {@code onNext};
 * and a subscriber that requests exactly the rows there are. Each ends promptly with the right
 * signal, the next statement on the same connection succeeds, nothing is left checked out and
 * nothing of the stream runs on the server. The queries have far more rows than any test reads
 * ({@value #TABLE_ROWS} in a table, or an endless series), so reading the rest to close the cursor
 * would show as a hang.
 */
class StreamEarlyCancelTest {

  private static final int TABLE_ROWS = 200_000;
  private static final String TABLE = "streamearly_rows";
  /** Bound on anything that must be prompt; generous for a loaded machine, far below a hang. */
  private static final long BOUND_SECONDS = 20;

  private AsyncEngine engine;
  private AsyncConnection conn;

  @AfterEach
  void dispose() {
    if (conn != null) {
      try {
        conn.close().handle((value, failure) -> null).get(BOUND_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A test that failed left it stuck; the engine's close below reports what it can.
      }
    }
    if (engine != null) {
      engine.close();
    }
  }

  private void open(TestDatabase db) {
    engine = db.engine(builder -> builder.options(ExecutionOptions.defaults().withFetchSize(100)));
    Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (id integer primary key, pad varchar(200))");
    String fill = switch (db) {
      case POSTGRESQL -> "insert into " + TABLE + " select i, repeat('x', 200) from generate_series(1, " + TABLE_ROWS + ") i";
      case MARIADB -> "insert into " + TABLE + " select seq, repeat('x', 200) from seq_1_to_" + TABLE_ROWS;
      case SQLITE -> "insert into " + TABLE + " with recursive r(i) as (select 1 union all select i + 1 from r where i < "
          + TABLE_ROWS + ") select i, printf('%.200c', 'x') from r";
    };
    try (var sync = engine.sync().connect()) {
      sync.execute(fill);
      sync.commit();
    }
    conn = await(engine.connect());
  }

  /** The big table, tagged with {@code marker} so the server's activity can be checked. */
  private static String tableRows(String marker) {
    return "select id as " + marker + ", pad from " + TABLE + " order by id";
  }

  /** Records what arrives; runs {@code onRow} in {@code onNext}. */
  static final class Recorder implements Flow.Subscriber<Row> {
    final AtomicLong rows = new AtomicLong();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
    private final Consumer<Recorder> onRow;

    Recorder(Consumer<Recorder> onRow) {
      this.onRow = onRow;
    }

    Recorder() {
      this(recorder -> { });
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscribed.complete(subscription);
    }

    @Override
    public void onNext(Row row) {
      rows.incrementAndGet();
      onRow.accept(this);
    }

    @Override
    public void onError(Throwable throwable) {
      done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }

    Flow.Subscription subscription() {
      return await(subscribed);
    }

    void awaitRows(long count) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      while (rows.get() < count && !done.isDone() && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      assertThat(rows.get()).as("rows delivered").isGreaterThanOrEqualTo(count);
    }
  }

  /**
   * After a stream stopped early: the next statement on the same connection succeeds within the
   * bound, nothing of {@code marker} runs on the server, and no connection stays checked out once
   * the connection is closed.
   */
  private void assertConnectionGoesOn(TestDatabase db, String marker) throws Exception {
    CompletableFuture<Integer> next = conn.scalar(Integer.class, "select 1");
    try {
      assertThat(next.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
    } catch (TimeoutException e) {
      throw new AssertionError("the next statement on the connection did not complete within " + BOUND_SECONDS + " s", e);
    }
    ServerActivity.awaitNone(db, marker, Duration.ofSeconds(BOUND_SECONDS));
    assertThat(await(conn.scalar(Long.class, "select count(*) from " + TABLE))).isEqualTo(TABLE_ROWS);
    await(conn.close());
    conn = null;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(engine.gateStats().inUse()).as("gate permits in use").isZero();
  }

  /** No signal arrives after a cancel: waits a little to see that none does. */
  private static void assertNoSignal(Recorder recorder) throws InterruptedException {
    Thread.sleep(200);
    assertThat(recorder.done).as("no signal after cancel").isNotDone();
  }

  @DatabaseTest
  void cancellingWhileRowsFlowLeavesTheConnectionUsable(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_flow_" + db);
    open(db);
    Recorder recorder = new Recorder();
    conn.stream(tableRows(marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    recorder.awaitRows(2_000);
    recorder.subscription().cancel();
    assertConnectionGoesOn(db, marker);
    assertThat(recorder.rows.get()).isLessThan(TABLE_ROWS);
    assertNoSignal(recorder);
  }

  @DatabaseTest
  void cancellingAnEndlessStreamWhileRowsFlowLeavesTheConnectionUsable(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_endless_" + db);
    open(db);
    Recorder recorder = new Recorder();
    conn.stream(ServerActivity.endlessRows(db, marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    recorder.awaitRows(5_000);
    recorder.subscription().cancel();
    assertConnectionGoesOn(db, marker);
    assertNoSignal(recorder);
  }

  @DatabaseTest
  void cancellingFromOnNextAfterTheFirstRowsEndsTheStream(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_onnext_" + db);
    open(db);
    Recorder recorder = new Recorder(self -> {
      if (self.rows.get() == 10) {
        self.subscribed.join().cancel();
      }
    });
    conn.stream(tableRows(marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    recorder.awaitRows(10);
    assertConnectionGoesOn(db, marker);
    assertThat(recorder.rows.get()).isEqualTo(10);
    assertNoSignal(recorder);
  }

  @DatabaseTest
  void cancellingFromAnotherThreadAfterTheFirstRowsEndsTheStream(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_between_" + db);
    open(db);
    Recorder recorder = new Recorder();
    conn.stream(ServerActivity.endlessRows(db, marker)).subscribe(recorder);
    recorder.subscription().request(10); // then no more: the cursor waits open between two steps
    recorder.awaitRows(10);
    Thread.sleep(100);
    recorder.subscription().cancel();
    assertConnectionGoesOn(db, marker);
    assertThat(recorder.rows.get()).isEqualTo(10);
    assertNoSignal(recorder);
  }

  @DatabaseTest
  void aSubscriberThrowingInOnNextGetsOnErrorPromptly(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_throw_" + db);
    open(db);
    Recorder recorder = new Recorder(self -> {
      if (self.rows.get() == 3) {
        throw new IllegalStateException("subscriber failed");
      }
    });
    conn.stream(ServerActivity.endlessRows(db, marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    try {
      recorder.done.get(BOUND_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("the stream completed although its subscriber threw");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("subscriber failed");
    } catch (TimeoutException e) {
      throw new AssertionError("onError did not arrive within " + BOUND_SECONDS + " s", e);
    }
    assertThat(recorder.rows.get()).isEqualTo(3);
    assertConnectionGoesOn(db, marker);
  }

  @DatabaseTest
  void aSubscriberRequestingExactlyTheRowsThereAreGetsOnComplete(TestDatabase db) throws Exception {
    open(db);
    Recorder recorder = new Recorder();
    conn.stream("select id from " + TABLE + " where id <= 5 order by id").subscribe(recorder);
    recorder.subscription().request(5); // exactly the rows there are, never more
    try {
      recorder.done.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("onComplete did not arrive after exactly the rows there are", e);
    }
    assertThat(recorder.rows.get()).isEqualTo(5);
    assertConnectionGoesOn(db, "streamearly_exact_unused");
  }

  @DatabaseTest
  void aSubscriberRequestingExactlyAFetchBatchGetsOnComplete(TestDatabase db) throws Exception {
    open(db);
    Recorder recorder = new Recorder();
    // 100 rows = one fetch of the cursor: only the next (empty) fetch tells that the rows ran out.
    conn.stream("select id from " + TABLE + " where id <= 100 order by id").subscribe(recorder);
    recorder.subscription().request(60);
    recorder.awaitRows(60);
    recorder.subscription().request(40);
    try {
      recorder.done.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("onComplete did not arrive after exactly the rows there are", e);
    }
    assertThat(recorder.rows.get()).isEqualTo(100);
    assertConnectionGoesOn(db, "streamearly_batch_unused");
  }

  @DatabaseTest
  void aSubscriberThatHoldsBackDemandIsNotCompletedEarly(TestDatabase db) throws Exception {
    open(db);
    Recorder recorder = new Recorder();
    conn.stream("select id from " + TABLE + " where id <= 6 order by id").subscribe(recorder);
    recorder.subscription().request(5);
    recorder.awaitRows(5);
    Thread.sleep(200);
    assertThat(recorder.done).as("a sixth row remains").isNotDone();
    recorder.subscription().request(1);
    await(recorder.done);
    assertThat(recorder.rows.get()).isEqualTo(6);
    assertConnectionGoesOn(db, "streamearly_held_unused");
  }

  /**
   * {@value #FAST_ROWS} rows at once, then rows that each take long: the next fetch (100 rows) runs
   * far longer than the test waits (100 s on PostgreSQL, 30 s a row on MariaDB, minutes on SQLite).
   * Rows are padded so that MariaDB flushes them as it goes.
   */
  private static String slowFetch(TestDatabase db, String marker) {
    return switch (db) {
      case POSTGRESQL -> "select i as " + marker + ", repeat('x', 200) as pad, (select 1 from pg_sleep(case when i > " + FAST_ROWS
          + " then 1 else 0 end)) as pause from generate_series(1, " + (FAST_ROWS + 10_000) + ") i";
      case MARIADB -> "select seq as " + marker + ", repeat('x', 200) as pad, if(seq > " + FAST_ROWS + ", sleep(30), 0) as pause from seq_1_to_"
          + (FAST_ROWS + 1000);
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select i as "
          + marker + " from r where i <= " + FAST_ROWS + " or i > 1999999999";
    };
  }

  private static final int FAST_ROWS = 1000;

  @DatabaseTest
  void cancellingDuringASlowFetchStopsItOnTheServer(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_slow_" + db);
    open(db);
    Recorder recorder = new Recorder();
    conn.stream(slowFetch(db, marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    recorder.awaitRows(FAST_ROWS / 2); // the slow fetch after them is under way soon
    Thread.sleep(500);
    assertThat(recorder.rows.get()).isLessThanOrEqualTo(FAST_ROWS);
    recorder.subscription().cancel();
    // Stopped on the server, not left to run its 50 s fetch: pgjdbc ignores Statement.cancel() here.
    ServerActivity.awaitNone(db, marker, Duration.ofSeconds(BOUND_SECONDS));
    assertConnectionGoesOn(db, marker);
    assertNoSignal(recorder);
  }

  @DatabaseTest
  void aTimeoutDuringASlowFetchStopsItOnTheServer(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_slowtimeout_" + db);
    open(db);
    Recorder recorder = new Recorder();
    conn.timeout(Duration.ofSeconds(2)).stream(slowFetch(db, marker)).subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    try {
      recorder.done.get(BOUND_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("the stream completed although its timeout passed");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(io.asyncengine.error.StatementTimeoutException.class);
    } catch (TimeoutException e) {
      throw new AssertionError("onError did not arrive within " + BOUND_SECONDS + " s", e);
    }
    ServerActivity.awaitNone(db, marker, Duration.ofSeconds(BOUND_SECONDS));
    // A cut-off cursor makes the engine give the connection up: the next statement ends either way, promptly.
    conn.scalar(Integer.class, "select 1").handle((value, failure) -> null).get(BOUND_SECONDS, TimeUnit.SECONDS);
    await(conn.close().handle((value, failure) -> null));
    conn = null;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(engine.gateStats().inUse()).as("gate permits in use").isZero();
    assertThat(await(engine.runSync(c -> c.scalar(Integer.class, "select 1"))).intValue()).isEqualTo(1);
  }

  @DatabaseTest
  void cancellingASessionStreamWhileRowsFlowLeavesTheSessionUsable(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamearly_session_" + db);
    open(db);
    io.asyncengine.asyncio.AsyncSession session = io.asyncengine.asyncio.AsyncSessionFactory.of(engine).openSession();
    try {
      Recorder recorder = new Recorder();
      session.stream(tableRows(marker)).subscribe(recorder);
      recorder.subscription().request(Long.MAX_VALUE);
      recorder.awaitRows(2_000);
      recorder.subscription().cancel();
      // The session's guard is released once the stream has ended: the next operation runs, no rollback needed.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      Long count = null;
      while (count == null) {
        try {
          count = session.scalar(Long.class, "select count(*) from " + TABLE).get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof io.asyncengine.error.ConcurrentSessionUseException) || System.nanoTime() > end) {
            throw e;
          }
          Thread.sleep(10); // the stream is still ending on the lane
        }
      }
      assertThat(count).isEqualTo(TABLE_ROWS);
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(BOUND_SECONDS));
      assertNoSignal(recorder);
    } finally {
      session.closeAsync().handle((value, failure) -> null).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }
  }
}
