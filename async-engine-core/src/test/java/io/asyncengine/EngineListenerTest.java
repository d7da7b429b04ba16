package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.AsyncSessionTransaction;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.core.Engine;
import io.asyncengine.core.Params;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.testing.Await;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.RecordingListener;
import io.asyncengine.testing.RecordingListener.Acquisition;
import io.asyncengine.testing.RecordingListener.Operation;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * The engine's {@link EngineListener}: every operation of the async facade reported once with its
 * kind, outcome and time (cancels and timeouts included), every connect with its time in the gate
 * and in the pool, and a listener that throws changes nothing.
 */
class EngineListenerTest {

  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private final RecordingListener heard = new RecordingListener();
  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db, UnaryOperator<AsyncEngine.Builder> customizer) {
    engine = db.engine(builder -> customizer.apply(builder.listener(heard)));
    Schema.recreate(engine.sync(), "listener_items", "create table listener_items (id integer primary key, name varchar(20))");
    return engine;
  }

  private AsyncEngine open(TestDatabase db) {
    return open(db, UnaryOperator.identity());
  }

  private static List<String> kinds(List<Operation> operations) {
    return operations.stream().map(Operation::kind).toList();
  }

  @DatabaseTest
  void everyConnectionOperationIsReportedOnceWithItsKind(TestDatabase db) {
    open(db);
    heard.clear();
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("insert into listener_items (id, name) values (?, ?)", 1, "a"));
    await(conn.execute("insert into listener_items (id, name) values (:id, :name)", Params.named(Map.of("id", 2, "name", "b"))));
    await(conn.executeMany("insert into listener_items (id, name) values (?, ?)", List.of(Params.of(3, "c"), Params.of(4, "d"))));
    await(conn.commit());
    assertThat(await(conn.scalar(Long.class, "select count(*) from listener_items"))).isEqualTo(4);
    assertThat(await(conn.scalars(Integer.class, "select id from listener_items order by id"))).containsExactly(1, 2, 3, 4);
    assertThat(await(Collector.all(conn.streamScalars(Integer.class, "select id from listener_items order by id"))))
        .containsExactly(1, 2, 3, 4);
    await(conn.rollback());
    AsyncTransaction tx = await(conn.begin());
    AsyncTransaction savepoint = await(conn.beginNested());
    await(savepoint.rollback());
    await(tx.commit());
    await(conn.runSync(c -> c.execute("select 1")));
    await(conn.rollback());
    await(conn.withIsolation(IsolationLevel.SERIALIZABLE));
    assertThat(await(conn.isolationLevel())).isEqualTo(IsolationLevel.SERIALIZABLE);
    await(conn.close());

    List<Operation> operations = heard.awaitOperations(16, operation -> true);
    assertThat(kinds(operations)).containsExactly("connection.execute", "connection.execute", "connection.execute_many",
        "connection.commit", "connection.scalar", "connection.scalars", "connection.stream", "connection.rollback",
        "connection.begin",
        "connection.begin_nested", "connection.rollback", "connection.commit", "connection.run_sync",
        "connection.rollback", "connection.isolation", "connection.isolation");
    assertThat(operations).allSatisfy(operation -> {
      assertThat(operation.outcome()).isEqualTo(OperationOutcome.SUCCESS);
      assertThat(operation.nanos()).isPositive();
    });
    Acquisition connect = heard.awaitAcquisitions(1).get(0);
    assertThat(connect.outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(connect.gateWaitNanos()).isNotNegative();
    assertThat(connect.poolNanos()).isPositive();
    // close() is not an operation of its own: nothing more arrives.
    assertThat(heard.operations()).hasSize(16);
  }

  @DatabaseTest
  void theEnginesOwnOperationsHaveKindsOfTheirOwn(TestDatabase db) {
    open(db);
    heard.clear();
    await(engine.inTransaction(c -> c.execute("insert into listener_items (id, name) values (?, ?)", 5, "e")));
    assertThat(Await.<Long>await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from listener_items")))).isEqualTo(1);
    await(engine.runSyncInTransaction(c -> c.execute("delete from listener_items where id = ?", 5)));

    List<Operation> operations = heard.awaitOperations(7, operation -> true);
    assertThat(kinds(operations)).containsExactlyInAnyOrder("engine.in_transaction", "connection.begin",
        "connection.execute", "engine.run_sync", "connection.run_sync", "engine.run_sync_in_transaction",
        "connection.run_sync");
    assertThat(operations).extracting(Operation::outcome).containsOnly(OperationOutcome.SUCCESS);
    // An engine-level operation spans the connection operations it runs.
    assertThat(heard.awaitOperation("engine.in_transaction").nanos())
        .isGreaterThanOrEqualTo(heard.awaitOperation("connection.execute").nanos());
    assertThat(heard.awaitAcquisitions(3)).extracting(Acquisition::outcome).containsOnly(OperationOutcome.SUCCESS);
  }

  @DatabaseTest
  void aWrappedEngineTakesItsListener(TestDatabase db) {
    Engine sync = Engine.builder().url(db.url()).maxPoolSize(2).minIdle(1).build();
    engine = AsyncEngine.wrap(sync, heard);
    assertThat(Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 7")))).isEqualTo(7);
    assertThat(heard.awaitOperation("engine.run_sync").outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(heard.awaitOperation("connection.run_sync").outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(heard.awaitAcquisitions(1).get(0).outcome()).isEqualTo(OperationOutcome.SUCCESS);
    // A view made by withOptions shares the listener.
    AsyncEngine view = engine.withOptions(engine.sync().options().withFetchSize(10));
    await(view.runSync(c -> c.scalar(Integer.class, "select 8")));
    assertThat(heard.awaitOperations(2, operation -> operation.kind().equals("engine.run_sync"))).hasSize(2);
  }

  @DatabaseTest
  void sessionOperationsAreReportedUnderTheSessionsNames(TestDatabase db) {
    open(db);
    ListenerAccount.recreate(engine.sync(), db);
    heard.clear();
    AsyncSessionFactory sessions = AsyncSessionFactory.builder(engine).expireOnCommit(false).build();
    try (AsyncSession session = sessions.openSession()) {
      ListenerAccount account = new ListenerAccount("ada", 100);
      session.add(account); // no I/O: not reported
      await(session.flush());
      await(session.commit());
      long id = account.getId();
      assertThat(await(session.get(ListenerAccount.class, id))).isPresent();
      ListenerAccount loaded = await(session.getOne(ListenerAccount.class, id));
      await(session.refresh(loaded));
      await(session.execute("update listener_accounts set balance = ? where id = ?", 150, id));
      assertThat(await(session.scalar(Long.class, "select count(*) from listener_accounts"))).isEqualTo(1);
      assertThat(await(session.scalars(ListenerAccount.class, "select * from listener_accounts"))).hasSize(1);
      assertThat(await(Collector.all(session.streamScalars(ListenerAccount.class, "select * from listener_accounts"))))
          .hasSize(1);
      await(session.merge(loaded));
      await(session.rollback());
      AsyncSessionTransaction tx = await(session.begin());
      AsyncSessionTransaction savepoint = await(session.beginNested());
      await(savepoint.commit());
      await(tx.commit());
      await(session.runSync(s -> s.identityMap().size()));
      await(session.withoutAutoflush(s -> 1));
    }

    List<String> expected = List.of("session.flush", "session.commit", "session.get", "session.get_one",
        "session.refresh", "session.execute", "session.scalar", "session.scalars", "session.stream", "session.merge",
        "session.rollback", "session.begin", "session.begin_nested", "session.commit", "session.commit",
        "session.run_sync", "session.without_autoflush");
    List<Operation> sessionOperations = heard.awaitOperations(expected.size(), operation -> operation.kind().startsWith("session."));
    assertThat(kinds(sessionOperations)).containsExactlyElementsOf(expected);
    assertThat(sessionOperations).extracting(Operation::outcome).containsOnly(OperationOutcome.SUCCESS);
    // A session operation is one operation: the connection work that carries it is not a second one.
    assertThat(kinds(heard.operations())).doesNotContain("connection.run_sync");
  }

  @DatabaseTest
  void failuresCancelsAndTimeoutsHaveTheirOutcomes(TestDatabase db) throws Exception {
    open(db);
    heard.clear();
    AsyncConnection conn = await(engine.connect());
    failure(conn.execute("select * from listener_missing"));
    assertThat(heard.awaitOperation("connection.execute").outcome()).isEqualTo(OperationOutcome.ERROR);
    await(conn.rollback());

    CompletableFuture<?> running = conn.scalars(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("listener_cancel")));
    Thread.sleep(300);
    assertThat(running.cancel(true)).isTrue();
    assertThat(heard.awaitOperation("connection.scalars").outcome()).isEqualTo(OperationOutcome.CANCELLED);

    long start = System.nanoTime();
    Throwable timedOut = failure(conn.timeout(Duration.ofMillis(400))
        .scalar(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("listener_timeout"))));
    assertThat(timedOut).isInstanceOf(StatementTimeoutException.class);
    Operation timeout = heard.awaitOperation("connection.scalar");
    assertThat(timeout.outcome()).isEqualTo(OperationOutcome.TIMEOUT);
    assertThat(timeout.nanos()).isGreaterThanOrEqualTo(400 * MILLI).isLessThanOrEqualTo(System.nanoTime() - start);

    Throwable failed = failure(engine.runSync(c -> {
      throw new IllegalStateException("work failed");
    }));
    assertThat(failed).isInstanceOf(IllegalStateException.class);
    assertThat(heard.awaitOperation("engine.run_sync").outcome()).isEqualTo(OperationOutcome.ERROR);
    assertThat(heard.awaitOperation("connection.run_sync").outcome()).isEqualTo(OperationOutcome.ERROR);
    await(conn.rollback());
    await(conn.close());
  }

  @DatabaseTest
  void aStreamIsOneOperationFromSubscriptionToItsEnd(TestDatabase db) throws Exception {
    open(db);
    AsyncConnection conn = await(engine.connect());
    await(conn.executeMany("insert into listener_items (id, name) values (?, ?)",
        List.of(Params.of(1, "a"), Params.of(2, "b"), Params.of(3, "c"))));
    await(conn.commit());
    heard.clear();

    failure(Collector.all(conn.stream("select * from listener_missing")));
    assertThat(heard.awaitOperation("connection.stream").outcome()).isEqualTo(OperationOutcome.ERROR);
    await(conn.rollback());

    heard.clear();
    Collector<Integer> cancelled = new Collector<>(1); // then no more demand: the cursor stays open between steps
    conn.streamScalars(Integer.class, "select id from listener_items order by id").subscribe(cancelled);
    cancelled.awaitItems(1);
    Thread.sleep(100);
    cancelled.subscription.cancel();
    assertThat(heard.awaitOperation("connection.stream").outcome()).isEqualTo(OperationOutcome.CANCELLED);
    await(conn.rollback());

    heard.clear();
    Collector<Integer> timedOut = new Collector<>(1);
    conn.timeout(Duration.ofMillis(500)).streamScalars(Integer.class, "select id from listener_items order by id")
        .subscribe(timedOut);
    assertThat(failure(timedOut.done)).isInstanceOf(StatementTimeoutException.class);
    Operation timeout = heard.awaitOperation("connection.stream");
    assertThat(timeout.outcome()).isEqualTo(OperationOutcome.TIMEOUT);
    assertThat(timeout.nanos()).isGreaterThanOrEqualTo(500 * MILLI);
    await(conn.close());
  }

  @DatabaseTest
  void everyConnectIsReportedWithItsTimeInTheGateAndInThePool(TestDatabase db) throws Exception {
    open(db, b -> b.maxConcurrency(1).connectionTimeout(Duration.ofMillis(400)));
    heard.clear();
    AsyncConnection first = await(engine.connect());
    Acquisition at = heard.awaitAcquisitions(1).get(0);
    assertThat(at.outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(at.poolNanos()).isPositive();

    CompletableFuture<AsyncConnection> queued = engine.connect();
    Thread.sleep(150);
    await(first.close());
    AsyncConnection second = await(queued);
    Acquisition waited = heard.awaitAcquisitions(2).get(1);
    assertThat(waited.outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(waited.gateWaitNanos()).isGreaterThanOrEqualTo(100 * MILLI);
    assertThat(waited.poolNanos()).isPositive();

    assertThat(failure(engine.connect())).isInstanceOf(PoolTimeoutException.class);
    Acquisition timedOut = heard.awaitAcquisitions(3).get(2);
    assertThat(timedOut.outcome()).isEqualTo(OperationOutcome.TIMEOUT);
    assertThat(timedOut.gateWaitNanos()).isGreaterThanOrEqualTo(350 * MILLI);
    assertThat(timedOut.poolNanos()).isZero();

    CompletableFuture<AsyncConnection> cancelled = engine.connect();
    Thread.sleep(50);
    assertThat(cancelled.cancel(true)).isTrue();
    Acquisition gaveUp = heard.awaitAcquisitions(4).get(3);
    assertThat(gaveUp.outcome()).isEqualTo(OperationOutcome.CANCELLED);
    assertThat(gaveUp.gateWaitNanos()).isGreaterThanOrEqualTo(40 * MILLI);
    assertThat(gaveUp.poolNanos()).isZero();

    await(second.close());
    engine.close();
    assertThat(failure(engine.connect())).isInstanceOf(ResourceClosedException.class);
    assertThat(heard.awaitAcquisitions(5).get(4).outcome()).isEqualTo(OperationOutcome.ERROR);
  }

  @DatabaseTest
  void aTimeoutInThePoolIsPoolTime(TestDatabase db) {
    open(db, b -> b.maxPoolSize(1).minIdle(1).maxConcurrency(2).connectionTimeout(Duration.ofMillis(400)));
    heard.clear();
    AsyncConnection held = await(engine.connect());
    assertThat(failure(engine.connect())).isInstanceOf(PoolTimeoutException.class);
    List<Acquisition> connects = heard.awaitAcquisitions(2);
    Acquisition timedOut = connects.get(1);
    assertThat(timedOut.outcome()).isEqualTo(OperationOutcome.TIMEOUT);
    assertThat(timedOut.poolNanos()).isGreaterThanOrEqualTo(350 * MILLI);
    assertThat(timedOut.gateWaitNanos()).isLessThan(timedOut.poolNanos());
    await(held.close());
  }

  @DatabaseTest
  void aListenerThatThrowsChangesNothing(TestDatabase db) {
    EngineListener throwing = new EngineListener() {
      @Override
      public void operationCompleted(String kind, OperationOutcome outcome, long nanos) {
        throw new IllegalStateException("listener broke on " + kind);
      }

      @Override
      public void connectionAcquired(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {
        throw new IllegalStateException("listener broke on connect");
      }
    };
    engine = db.engine(b -> b.listener(throwing).listener(heard));
    Schema.recreate(engine.sync(), "listener_items", "create table listener_items (id integer primary key, name varchar(20))");
    assertThat(Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 1")))).isEqualTo(1);
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("insert into listener_items (id, name) values (?, ?)", 1, "a"));
    assertThat(await(Collector.all(conn.streamScalars(Integer.class, "select id from listener_items")))).containsExactly(1);
    await(conn.close());
    try (AsyncSession session = AsyncSessionFactory.of(engine).openSession()) {
      assertThat(await(session.scalar(Long.class, "select count(*) from listener_items"))).isZero();
    }
    // The listener after the throwing one still hears everything.
    assertThat(heard.awaitOperation("engine.run_sync").outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(heard.awaitOperation("connection.stream").outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(heard.awaitOperation("session.scalar").outcome()).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(heard.awaitAcquisitions(3)).extracting(Acquisition::outcome).containsOnly(OperationOutcome.SUCCESS);
  }

  /** Collects a stream's items, requesting {@code demand} (unbounded by default). */
  static final class Collector<T> implements Flow.Subscriber<T> {
    final List<T> items = new ArrayList<>();
    final CompletableFuture<List<T>> done = new CompletableFuture<>();
    final long demand;
    volatile Flow.Subscription subscription;
    private volatile int count;

    Collector(long demand) {
      this.demand = demand;
    }

    static <T> CompletableFuture<List<T>> all(Flow.Publisher<T> publisher) {
      Collector<T> collector = new Collector<>(Long.MAX_VALUE);
      publisher.subscribe(collector);
      return collector.done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(demand);
    }

    @Override
    public void onNext(T item) {
      items.add(item);
      count++;
    }

    @Override
    public void onError(Throwable throwable) {
      done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      done.complete(List.copyOf(items));
    }

    void awaitItems(int expected) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (count < expected && !done.isDone() && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      assertThat(count).isGreaterThanOrEqualTo(expected);
    }
  }
}
