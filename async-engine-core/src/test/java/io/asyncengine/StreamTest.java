package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.core.Params;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** {@code stream()} as a {@link Flow.Publisher}: demand, cancel, errors, on every database. */
class StreamTest {

  private AsyncEngine engine;
  private AsyncConnection conn;

  private void seed(TestDatabase db, int rows) {
    engine = db.engine();
    Schema.users(engine.sync(), db);
    conn = await(engine.connect());
    await(conn.executeMany("insert into users(name) values (?)",
        IntStream.range(0, rows).mapToObj(i -> Params.of(String.format("u%05d", i))).toList()));
    await(conn.commit());
  }

  @AfterEach
  void dispose() {
    if (conn != null) {
      await(conn.close());
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** Requests rows by hand and records what arrives. */
  static final class Recorder<T> implements Flow.Subscriber<T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile Flow.Subscription subscription;
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      subscribed.complete(null);
    }

    @Override
    public void onNext(T item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
      done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  @DatabaseTest
  void streamEmitsNoMoreRowsThanRequestedAndCompletes(TestDatabase db) throws Exception {
    seed(db, 1200);
    Recorder<Row> recorder = new Recorder<>();
    conn.stream("select name from users order by name").subscribe(recorder);
    recorder.subscribed.get(5, TimeUnit.SECONDS);
    recorder.subscription.request(10);
    await(conn.execute("select 1")); // the lane has run the drain by now
    assertThat(recorder.items).hasSize(10);
    recorder.subscription.request(5);
    await(conn.execute("select 1"));
    assertThat(recorder.items).hasSize(15);
    assertThat(recorder.done).isNotDone();
    recorder.subscription.request(Long.MAX_VALUE);
    await(recorder.done);
    assertThat(recorder.items).hasSize(1200);
    assertThat(recorder.items.get(1199).get("name")).isEqualTo("u01199");
  }

  @DatabaseTest
  void aNullScalarEndsTheStreamWithAReasonInsteadOfEmittingNull(TestDatabase db) throws Exception {
    seed(db, 3);
    Recorder<String> recorder = new Recorder<>();
    conn.streamScalars(String.class, "select email from users order by name").subscribe(recorder);
    recorder.subscribed.get(5, TimeUnit.SECONDS);
    recorder.subscription.request(Long.MAX_VALUE);
    assertThat(recorder.done).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
        .havingRootCause().isInstanceOf(InvalidRequestException.class).withMessageContaining("cannot emit null");
    assertThat(recorder.items).isEmpty();
    assertThat(await(conn.scalar(Long.class, "select count(*) from users"))).isEqualTo(3L); // the connection still works
  }

  @DatabaseTest
  void cancellingTheSubscriptionClosesTheCursorAndFreesTheConnection(TestDatabase db) throws Exception {
    seed(db, 2000);
    Recorder<String> recorder = new Recorder<>();
    conn.streamScalars(String.class, "select name from users order by name").subscribe(recorder);
    recorder.subscribed.get(5, TimeUnit.SECONDS);
    recorder.subscription.request(3);
    await(conn.execute("select 1"));
    recorder.subscription.cancel();
    recorder.subscription.request(100); // ignored after cancel
    // The connection is usable at once and in a clean state: commit and a write succeed.
    await(conn.commit());
    await(conn.execute("insert into users(name) values (?)", "after"));
    await(conn.commit());
    assertThat(recorder.items).containsExactly("u00000", "u00001", "u00002");
    assertThat(recorder.done).isNotDone();
  }

  @DatabaseTest
  void streamErrorsArriveThroughOnError(TestDatabase db) {
    seed(db, 1);
    Recorder<Row> recorder = new Recorder<>();
    conn.stream("select nope from users").subscribe(recorder);
    recorder.subscription.request(1);
    assertThat(io.asyncengine.testing.Await.failure(recorder.done)).isInstanceOf(ProgrammingException.class)
        .hasMessageContaining("select nope from users");
  }

  @DatabaseTest
  void invalidRequestIsSignalledAsIllegalArgument(TestDatabase db) {
    seed(db, 5);
    Recorder<Row> recorder = new Recorder<>();
    conn.stream("select name from users").subscribe(recorder);
    recorder.subscription.request(0);
    assertThat(io.asyncengine.testing.Await.failure(recorder.done)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3.9");
  }

  @DatabaseTest
  void namedParametersAndStreamScalarsWork(TestDatabase db) {
    seed(db, 100);
    Recorder<String> recorder = new Recorder<>();
    conn.streamScalars(String.class, "select name from users where name >= :from order by name",
        Params.named(java.util.Map.of("from", "u00090"))).subscribe(recorder);
    recorder.subscription.request(Long.MAX_VALUE);
    await(recorder.done);
    assertThat(recorder.items).hasSize(10).startsWith("u00090");
  }

  @DatabaseTest
  void synchronousStreamIsLazyAndClosable(TestDatabase db) {
    seed(db, 300);
    List<String> firstTwo = await(conn.runSync(sync -> {
      try (Stream<String> names = sync.streamScalars(String.class, "select name from users order by name")) {
        return names.limit(2).toList();
      }
    }));
    assertThat(firstTwo).containsExactly("u00000", "u00001");
    Long total = await(conn.runSync(sync -> {
      try (Stream<Row> rows = sync.stream("select name from users")) {
        return rows.count();
      }
    }));
    assertThat(total).isEqualTo(300);
  }
}
