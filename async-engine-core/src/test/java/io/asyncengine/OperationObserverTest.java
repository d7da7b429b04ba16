package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.EngineListenerTest.Collector;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationObserver;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.core.Params;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.RecordingListener;
import io.asyncengine.testing.RecordingObserver.Observed;
import io.asyncengine.testing.RecordingObserver;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * The engine's {@link OperationObserver}: every operation and connect started on the caller's
 * thread with its kind, SQL, values, engine name and database, scoped around its work on an engine
 * thread (opened and closed on that thread, nothing current from an earlier operation), stopped
 * once with the outcome the listeners hear; an observer that throws changes nothing.
 */
class OperationObserverTest {

  private final RecordingObserver observer = new RecordingObserver();
  private final RecordingListener heard = new RecordingListener();
  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    RecordingObserver.setCurrent(null);
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db, UnaryOperator<AsyncEngine.Builder> customizer) {
    engine = db.engine(builder -> customizer.apply(builder.name("orders").observer(observer).listener(heard)));
    Schema.recreate(engine.sync(), "observer_items", "create table observer_items (id integer primary key, name varchar(20))");
    observer.clear();
    heard.clear();
    return engine;
  }

  private AsyncEngine open(TestDatabase db) {
    return open(db, UnaryOperator.identity());
  }

  private static String system(TestDatabase db) {
    return switch (db) {
      case SQLITE -> "sqlite";
      case POSTGRESQL -> "postgresql";
      case MARIADB -> "mariadb";
    };
  }

  /** Started on the caller's thread, scoped once on one engine thread, stopped once with success. */
  private static void assertObservedOnTheLane(Observed observed) {
    assertThat(observed.startThread).isSameAs(Thread.currentThread());
    assertThat(observed.scopeThreads).hasSize(1);
    assertThat(observed.scopeThreads.get(0)).isNotSameAs(Thread.currentThread());
    assertThat(observed.closeThreads).containsExactlyElementsOf(observed.scopeThreads);
    assertThat(observed.outcome).isEqualTo(OperationOutcome.SUCCESS);
    assertThat(observed.failure).isNull();
    assertThat(observed.stops).isEqualTo(1);
  }

  @DatabaseTest
  void everyStatementIsObservedWithItsSqlValuesEngineAndDatabase(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    String insert = "insert into observer_items (id, name) values (?, ?)";
    await(conn.execute(insert, 1, "a"));
    String named = "insert into observer_items (id, name) values (:id, :name)";
    Params values = Params.named(Map.of("id", 2, "name", "b"));
    await(conn.execute(named, values));
    List<Params> batch = List.of(Params.of(3, "c"), Params.of(4, "d"));
    await(conn.executeMany(insert, batch));
    await(conn.scalar(Long.class, "select count(*) from observer_items where id > ?", 0));
    assertThat(await(Collector.all(conn.streamScalars(Integer.class, "select id from observer_items order by id"))))
        .containsExactly(1, 2, 3, 4);
    await(conn.commit());
    await(conn.close());

    List<Observed> all = observer.awaitStopped(7, o -> true);
    assertThat(all).extracting(Observed::kind).containsExactly("connection.acquire", "connection.execute",
        "connection.execute", "connection.execute_many", "connection.scalar", "connection.stream", "connection.commit");
    for (Observed observed : all) {
      ObservedOperation operation = observed.operation;
      assertThat(operation.engine()).isEqualTo("orders");
      assertThat(operation.databaseSystem()).isEqualTo(system(db));
      assertThat(observed.startThread).isSameAs(Thread.currentThread());
      assertThat(observed.outcome).isEqualTo(OperationOutcome.SUCCESS);
      assertThat(observed.stops).isEqualTo(1);
      assertThat(observed.closeThreads).containsExactlyElementsOf(observed.scopeThreads);
      assertThat(observed.scopeThreads).doesNotContain(Thread.currentThread());
    }
    assertThat(all.get(0).operation.sql()).isNull();
    assertThat(all.get(0).scopeThreads).as("the borrow from the pool is scoped").hasSize(1);
    assertThat(all.get(1).operation.sql()).isEqualTo(insert);
    assertThat(all.get(1).operation.parameters()).containsExactly(Params.of(1, "a"));
    assertThat(all.get(2).operation.parameters()).containsExactly(values);
    assertThat(all.get(3).operation.parameters()).isEqualTo(batch);
    assertThat(all.get(4).operation.parameters()).containsExactly(Params.of(0));
    assertThat(all.get(5).operation.sql()).isEqualTo("select id from observer_items order by id");
    assertThat(all.get(5).scopeThreads).as("every step of the stream is scoped").isNotEmpty();
    assertThat(all.get(6).operation.sql()).isNull();
    assertThat(all.get(6).operation.parameters()).isEmpty();
    for (Observed statement : all.subList(1, 5)) {
      assertObservedOnTheLane(statement);
    }
  }

  @DatabaseTest
  void listenersAndObserverHearTheSameOperationsWithTheSameOutcomes(TestDatabase db) throws Exception {
    open(db);
    AsyncConnection conn = await(engine.connect());
    await(conn.execute("insert into observer_items (id, name) values (?, ?)", 1, "a"));
    failure(conn.execute("select * from observer_missing"));
    await(conn.rollback());
    await(engine.runSync(c -> c.scalar(Integer.class, "select 1")));
    await(conn.close());

    List<RecordingListener.Operation> operations = heard.awaitOperations(5, o -> true);
    List<Observed> observed = observer.awaitStopped(5, o -> !o.kind().equals("connection.acquire"));
    assertThat(observed).extracting(o -> o.kind() + "=" + o.outcome)
        .containsExactlyInAnyOrderElementsOf(operations.stream().map(o -> o.kind() + "=" + o.outcome()).toList());
    assertThat(observer.awaitStopped(2, o -> o.kind().equals("connection.acquire"))).hasSize(heard.awaitAcquisitions(2).size());
  }

  @DatabaseTest
  void failuresCancelsAndTimeoutsStopWithTheirOutcomes(TestDatabase db) throws Exception {
    open(db);
    AsyncConnection conn = await(engine.connect());
    Throwable error = failure(conn.execute("select * from observer_missing"));
    Observed failed = observer.awaitStopped("connection.execute");
    assertThat(failed.outcome).isEqualTo(OperationOutcome.ERROR);
    assertThat(failed.failure).isSameAs(error);
    await(conn.rollback());

    CompletableFuture<?> running = conn.scalars(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("observer_cancel")));
    Thread.sleep(300);
    assertThat(running.cancel(true)).isTrue();
    Observed cancelled = observer.awaitStopped("connection.scalars");
    assertThat(cancelled.outcome).isEqualTo(OperationOutcome.CANCELLED);
    assertThat(cancelled.failure).isInstanceOf(CancellationException.class);

    Throwable timedOut = failure(conn.timeout(Duration.ofMillis(400))
        .scalar(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("observer_timeout"))));
    assertThat(timedOut).isInstanceOf(StatementTimeoutException.class);
    Observed timeout = observer.awaitStopped("connection.scalar");
    assertThat(timeout.outcome).isEqualTo(OperationOutcome.TIMEOUT);
    assertThat(timeout.failure).isSameAs(timedOut);
    await(conn.rollback());
    await(conn.close());
    assertThat(observer.all()).allSatisfy(o -> assertThat(o.closeThreads).hasSameSizeAs(o.scopeThreads));
  }

  @DatabaseTest
  void theScopeIsCurrentInsideTheWorkAndNothingLeaksIntoTheNextOperation(TestDatabase db) {
    open(db, b -> b.maxPoolSize(1));
    AsyncConnection conn = await(engine.connect());
    Observed caller = new RecordingObserver().start(new ObservedOperation("test.request", null, List.of(), "t", "t")) instanceof Observed o ? o : null;
    RecordingObserver.setCurrent(caller);
    Observed insideFirst = await(conn.runSync(c -> RecordingObserver.current()));
    RecordingObserver.setCurrent(null);
    Observed insideSecond = await(conn.runSync(c -> RecordingObserver.current()));

    List<Observed> runs = observer.awaitStopped(2, o -> o.kind().equals("connection.run_sync"));
    assertThat(runs.get(0).parent).as("started under the caller's current observation").isSameAs(caller);
    assertThat(insideFirst).isSameAs(runs.get(0));
    assertThat(runs.get(1).parent).isNull();
    assertThat(insideSecond).isSameAs(runs.get(1));
    assertThat(runs.get(1).currentAtScope).as("nothing left current on the reused lane").containsOnlyNulls();
    await(conn.close());
  }

  @DatabaseTest
  void sessionOperationsAreObservedInsideTheirConnectionWork(TestDatabase db) {
    open(db);
    ObserverNote.recreate(engine.sync(), db);
    observer.clear();
    AsyncSessionFactory sessions = AsyncSessionFactory.builder(engine).expireOnCommit(false).build();
    try (AsyncSession session = sessions.openSession()) {
      session.add(new ObserverNote("first"));
      await(session.flush());
      await(session.execute("update observer_notes set text = ? where text = ?", "second", "first"));
      await(session.commit());
    }
    Observed flush = observer.awaitStopped("session.flush");
    assertObservedOnTheLane(flush);
    assertThat(flush.operation.sql()).isNull();
    assertThat(flush.currentAtScope).as("nothing but itself: the connection work that carries it is not observed")
        .containsOnlyNulls();
    assertThat(observer.all()).extracting(Observed::kind).doesNotContain("connection.run_sync");
    Observed execute = observer.awaitStopped("session.execute");
    assertThat(execute.operation.sql()).isEqualTo("update observer_notes set text = ? where text = ?");
    assertThat(execute.operation.parameters()).containsExactly(Params.of("second", "first"));
    assertObservedOnTheLane(observer.awaitStopped("session.commit"));
  }

  @DatabaseTest
  void anObserverThatThrowsChangesNothing(TestDatabase db) {
    OperationObserver broken = operation -> {
      throw new IllegalStateException("observer broken");
    };
    engine = db.engine(builder -> builder.observer(broken).listener(heard));
    Integer seven = await(engine.runSync(c -> c.scalar(Integer.class, "select 7")));
    assertThat(seven).isEqualTo(7);
    assertThat(heard.awaitOperation("engine.run_sync").outcome()).isEqualTo(OperationOutcome.SUCCESS);
  }
}
