package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.concurrent.TaskGroup;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * A stream is one operation of its connection: a task-group deadline, the view's timeout, a
 * sibling's failure, the engine's disposal, a doomed transaction and the subscriber's own cancel
 * all stop it the way they stop any operation. Each test checks the subscriber's signal, that the
 * server runs nothing of it any more, that no connection is left out, and that the engine still
 * works.
 */
class StreamCancellationTest {

  /** Rows the query produces at once; the next one takes 30 s (minutes on SQLite). */
  private static final int FAST_ROWS = 2000;
  private static final int FETCH_SIZE = 100;
  private static final Duration SERVER_CLEAN_LIMIT = Duration.ofSeconds(10);

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db, UnaryOperator<AsyncEngine.Builder> customizer) {
    engine = db.engine(builder -> customizer.apply(builder.options(ExecutionOptions.defaults().withFetchSize(FETCH_SIZE))));
    Schema.recreate(engine.sync(), "streamcancel_notes", "create table streamcancel_notes (id integer primary key)");
    return engine;
  }

  private AsyncEngine open(TestDatabase db) {
    return open(db, UnaryOperator.identity());
  }

  /**
   * {@value #FAST_ROWS} rows at once, then rows that come slowly: a fetch is under way when the
   * test stops the stream. MariaDB and SQLite then take 30 s (minutes on SQLite) for the next row;
   * their cancel ({@code KILL QUERY}, an interrupt) stops a fetch. PostgreSQL takes 20 ms a row, so
   * a fetch of {@value #FETCH_SIZE} rows takes 2 s: pgjdbc ignores {@code Statement.cancel()} while a
   * portal fetch runs (only {@code executeQuery} counts as running), so there the repeated stop
   * ends the step when its fetch returns. Rows are padded so MariaDB flushes them as it goes.
   */
  static String stallingRows(TestDatabase db, String marker) {
    return switch (db) {
      case POSTGRESQL -> "select i as " + marker + ", repeat('x', 200) as pad, (select 1 from pg_sleep(case when i > "
          + FAST_ROWS + " then 0.02 else 0 end)) as pause from generate_series(1, " + (FAST_ROWS + 100_000) + ") i";
      case MARIADB -> "select seq as " + marker + ", repeat('x', 200) as pad, if(seq > " + FAST_ROWS
          + ", sleep(30), 0) as pause from seq_1_to_" + (FAST_ROWS + 1000);
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select i as "
          + marker + ", 'x' as pad from r where i <= " + FAST_ROWS + " or i > 1999999999";
    };
  }

  /** Records what arrives; requests by hand. */
  static final class Recorder implements Flow.Subscriber<Row> {
    final AtomicLong rows = new AtomicLong();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscribed.complete(subscription);
    }

    @Override
    public void onNext(Row row) {
      rows.incrementAndGet();
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

    /** Waits until the stream has delivered its fast rows and the slow fetch has begun. */
    void awaitStall() throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (rows.get() < FAST_ROWS / 2 && !done.isDone() && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(done).as("stream ended before stalling").isNotDone();
      assertThat(rows.get()).as("rows before the stall").isGreaterThanOrEqualTo(FAST_ROWS / 2);
      Thread.sleep(300);
    }
  }

  private static Recorder subscribe(Flow.Publisher<Row> rows) {
    Recorder recorder = new Recorder();
    rows.subscribe(recorder);
    recorder.subscription().request(Long.MAX_VALUE);
    return recorder;
  }

  /** The subscriber's error, which must arrive long before the stalled row would. */
  private static Throwable streamError(Recorder recorder) {
    long start = System.nanoTime();
    Throwable error = failure(recorder.done);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to onError").isLessThan(Duration.ofSeconds(15));
    return error;
  }

  /** Nothing of {@code marker} on the server, every connection back, and new work runs. */
  private void assertCleanAndWorking(TestDatabase db, String marker) throws InterruptedException {
    ServerActivity.awaitNone(db, marker, SERVER_CLEAN_LIMIT);
    awaitNothingInUse(engine);
    assertThat(await(engine.runSync(c -> c.scalar(Integer.class, "select 1"))).intValue()).isEqualTo(1);
    AsyncConnection fresh = await(engine.connect());
    assertThat(await(fresh.scalar(Long.class, "select count(*) from streamcancel_notes"))).isZero();
    await(fresh.close());
    awaitNothingInUse(engine);
  }

  private static void awaitNothingInUse(AsyncEngine engine) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.gateStats().inUse() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(engine.gateStats().inUse()).as("gate permits in use").isZero();
  }

  @DatabaseTest
  void aTaskGroupDeadlineEndsTheStreamWithACancellation(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_deadline_" + db);
    open(db);
    AsyncConnection conn = await(engine.connect());
    Recorder recorder = new Recorder();
    TaskGroup group = engine.taskGroup().withDeadline(Duration.ofSeconds(3));
    group.fork(() -> {
      conn.stream(stallingRows(db, marker)).subscribe(recorder); // linked to this task's scope
      recorder.subscription().request(Long.MAX_VALUE);
      return recorder.done.handle((value, failure) -> null).join();
    });
    assertThatThrownBy(group::close).isInstanceOf(StatementTimeoutException.class);
    assertThat(recorder.rows.get()).isGreaterThanOrEqualTo(FAST_ROWS / 2);
    assertThat(streamError(recorder)).isInstanceOf(CancellationException.class);
    await(conn.close());
    assertCleanAndWorking(db, marker);
  }

  @DatabaseTest
  void theViewsTimeoutEndsTheStreamAndRollsBackItsTransaction(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_timeout_" + db);
    open(db);
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("insert into streamcancel_notes (id) values (?)", 1)); // uncommitted
    long start = System.nanoTime();
    Recorder recorder = subscribe(conn.timeout(Duration.ofSeconds(3)).stream(stallingRows(db, marker)));
    recorder.awaitStall();
    Throwable error = streamError(recorder);
    assertThat(error).isInstanceOf(StatementTimeoutException.class).hasMessageContaining("3000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    // Never left half-done: the transaction the stream ran in is gone, the insert with it.
    assertThat(conn.inTransaction()).isFalse();
    await(conn.close());
    assertCleanAndWorking(db, marker);
  }

  @DatabaseTest
  void aTimeoutWhileTheSubscriberHoldsBackDemandClosesTheCursorAndStopsTheQuery(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_idle_" + db);
    open(db);
    AsyncConnection conn = await(engine.connect());
    Recorder recorder = new Recorder();
    conn.timeout(Duration.ofMillis(1500)).stream(ServerActivity.endlessRows(db, marker)).subscribe(recorder);
    recorder.subscription().request(10); // then nothing more: no step runs when the deadline passes
    Throwable error = streamError(recorder);
    assertThat(error).isInstanceOf(StatementTimeoutException.class);
    assertThat(recorder.rows.get()).isEqualTo(10);
    await(conn.close());
    assertCleanAndWorking(db, marker);
  }

  @DatabaseTest
  void aSiblingFailingInATaskGroupEndsTheStreamWithACancellation(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_sibling_" + db);
    open(db);
    AsyncConnection conn = await(engine.connect());
    Recorder recorder = new Recorder();
    TaskGroup group = engine.taskGroup();
    group.fork(() -> {
      conn.stream(stallingRows(db, marker)).subscribe(recorder);
      recorder.subscription().request(Long.MAX_VALUE);
      return recorder.done.handle((value, failure) -> null).join();
    });
    group.fork(() -> {
      recorder.awaitStall();
      throw new IllegalStateException("boom");
    });
    assertThatThrownBy(group::close).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(streamError(recorder)).isInstanceOf(CancellationException.class);
    await(conn.close());
    assertCleanAndWorking(db, marker);
  }

  @DatabaseTest
  void disposingTheEngineEndsTheStreamAfterTheGracePeriod(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_dispose_" + db);
    open(db, builder -> builder.shutdownGracePeriod(Duration.ofSeconds(1)));
    AsyncConnection conn = await(engine.connect());
    Recorder recorder = subscribe(conn.stream(stallingRows(db, marker)));
    recorder.awaitStall();
    CompletableFuture<Void> disposal = engine.dispose();
    Throwable error = streamError(recorder);
    assertThat(error).isInstanceOf(ResourceClosedException.class).hasMessageContaining("grace period");
    assertThat(disposal).isNotDone(); // waits for the connection to come back
    long closing = System.nanoTime();
    await(conn.close());
    await(disposal);
    // Disposal took every permit back at once (it waits up to 5 s more for ones still out).
    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(4));
    assertThat(engine.isTerminated()).isTrue();
    assertThat(engine.gateStats().inUse()).as("permits held by the drained gate").isEqualTo(engine.gateStats().maxConcurrency());
    ServerActivity.awaitNone(db, marker, SERVER_CLEAN_LIMIT);
    // A disposed engine refuses new work at once; a new engine works.
    assertThat(failure(engine.connect())).isInstanceOf(ResourceClosedException.class);
    try (AsyncEngine next = db.engine()) {
      assertThat(await(next.runSync(c -> c.scalar(Integer.class, "select 1"))).intValue()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void cancellingTheSubscriptionMidFetchStopsTheQueryAndSignalsNothing(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_subscriber_" + db);
    open(db);
    AsyncConnection conn = await(engine.connect());
    Recorder recorder = subscribe(conn.stream(stallingRows(db, marker)));
    recorder.awaitStall();
    long start = System.nanoTime();
    recorder.subscription().cancel();
    ServerActivity.awaitNone(db, marker, SERVER_CLEAN_LIMIT);
    // The lane is free again soon: the stopped fetch returned and the connection recovered.
    await(conn.runSync(c -> null).handle((value, failure) -> null));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(recorder.done).as("no signal after cancel").isNotDone();
    await(conn.close());
    assertCleanAndWorking(db, marker);
    assertThat(recorder.done).isNotDone();
  }

  @DatabaseTest
  void aCancelledTransactionDoomsTheStreamInsideIt(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_doom_" + db);
    open(db);
    Recorder recorder = new Recorder();
    CompletableFuture<Void> transaction = engine.inTransaction(conn -> conn
        .execute("insert into streamcancel_notes (id) values (?)", 1)
        .thenCompose(inserted -> {
          conn.stream(stallingRows(db, marker)).subscribe(recorder);
          recorder.subscription().request(Long.MAX_VALUE);
          return recorder.done;
        }));
    recorder.awaitStall();
    assertThat(transaction.cancel(true)).isTrue();
    assertThat(streamError(recorder)).isInstanceOf(CancellationException.class);
    assertCleanAndWorking(db, marker);
  }

  @DatabaseTest
  void aSessionStreamEndedByADeadlineGivesTheSessionBack(TestDatabase db) throws Exception {
    String marker = ServerActivity.marker("streamcancel_session_" + db);
    open(db);
    AsyncSession session = AsyncSessionFactory.of(engine).openSession();
    Recorder recorder = new Recorder();
    TaskGroup group = engine.taskGroup().withDeadline(Duration.ofSeconds(3));
    group.fork(() -> {
      session.stream(stallingRows(db, marker)).subscribe(recorder);
      recorder.subscription().request(Long.MAX_VALUE);
      return recorder.done.handle((value, failure) -> null).join();
    });
    assertThatThrownBy(group::close).isInstanceOf(StatementTimeoutException.class);
    assertThat(streamError(recorder)).isInstanceOf(CancellationException.class);
    // The session is free again: its guard was released. As after any failed operation, roll back
    // first; that reports the connection when the cut-off stream evicted it.
    await(session.rollback().handle((value, failure) -> null));
    assertThat(await(session.scalar(Integer.class, "select 1"))).isEqualTo(1);
    await(session.closeAsync());
    assertCleanAndWorking(db, marker);
  }
}
