package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.error.MultipleResultsException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.result.Result;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.RecordingListener;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link ExceptionTranslator#translateEngineException}: each exception the engine raises itself
 * reaches the caller's future translated, with no call by the caller; database errors go through
 * {@code translate} only, never twice; what the facade does not reach keeps the engine's type.
 */
class EngineExceptionTranslationTest {

  /** The application's view of an engine exception. */
  static final class Translated extends RuntimeException {
    Translated(AsyncEngineException cause) {
      super("translated: " + cause.getMessage(), cause);
    }
  }

  /** The application's view of a driver error. */
  static final class DriverError extends RuntimeException {
    DriverError(String operation, SQLException cause) {
      super(operation + ": " + cause.getMessage(), cause);
    }
  }

  static final class Translator implements ExceptionTranslator {
    @Override
    public RuntimeException translate(String operation, String sql, String parameters, SQLException ex) {
      return new DriverError(operation, ex);
    }

    @Override
    public RuntimeException translateEngineException(AsyncEngineException e) {
      return new Translated(e);
    }
  }

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db, UnaryOperator<AsyncEngine.Builder> customizer) {
    engine = db.engine(builder -> customizer.apply(builder.exceptionTranslator(new Translator())));
    ListenerAccount.recreate(engine.sync(), db);
    return engine;
  }

  private AsyncEngine open(TestDatabase db) {
    return open(db, UnaryOperator.identity());
  }

  private static void assertTranslated(Throwable failure, Class<? extends AsyncEngineException> engineType) {
    assertThat(failure).isInstanceOf(Translated.class).hasCauseInstanceOf(engineType);
  }

  @DatabaseTest
  void theGatesPoolTimeout(TestDatabase db) {
    open(db, b -> b.maxConcurrency(1).connectionTimeout(Duration.ofMillis(300)));
    AsyncConnection held = await(engine.connect());
    assertTranslated(failure(engine.connect()), PoolTimeoutException.class);
    // The engine's operations that connect get it the same way.
    assertTranslated(failure(engine.runSync(c -> 1)), PoolTimeoutException.class);
    await(held.close());
  }

  @DatabaseTest
  void thePoolsOwnTimeout(TestDatabase db) {
    open(db, b -> b.maxPoolSize(1).minIdle(1).maxConcurrency(2).connectionTimeout(Duration.ofMillis(300)));
    AsyncConnection held = await(engine.connect());
    Throwable failed = failure(engine.connect());
    assertTranslated(failed, PoolTimeoutException.class);
    assertThat(failed.getCause()).hasMessageContaining("No connection available");
    await(held.close());
  }

  @DatabaseTest
  void aStaleVersionAtCommit(TestDatabase db) {
    open(db);
    AsyncSessionFactory sessions = AsyncSessionFactory.builder(engine).expireOnCommit(false).build();
    try (AsyncSession first = sessions.openSession(); AsyncSession second = sessions.openSession()) {
      ListenerAccount account = new ListenerAccount("ada", 100);
      first.add(account);
      await(first.commit());
      ListenerAccount copy = await(second.getOne(ListenerAccount.class, account.getId()));
      copy.setBalance(200);
      await(second.commit());
      account.setBalance(300);
      assertTranslated(failure(first.commit()), StaleObjectException.class);
    }
  }

  @DatabaseTest
  void noRowAndSeveralRows(TestDatabase db) {
    open(db);
    try (AsyncSession session = AsyncSessionFactory.of(engine).openSession()) {
      assertTranslated(failure(session.getOne(ListenerAccount.class, 12345L)), NoResultException.class);
    }
    assertTranslated(failure(engine.runSync(c -> c.execute("select 1 from listener_accounts").one())),
        NoResultException.class);
    assertTranslated(failure(engine.runSync(c -> c.execute("select 1 union all select 2").one())),
        MultipleResultsException.class);
  }

  @DatabaseTest
  void aFailedFlushThenPendingRollback(TestDatabase db) {
    open(db);
    try (AsyncSession session = AsyncSessionFactory.of(engine).openSession()) {
      session.add(new ListenerAccount("same", 1));
      session.add(new ListenerAccount("same", 2));
      // The database's error went through translate(), and only there.
      Throwable violated = failure(session.flush());
      assertThat(violated).isInstanceOf(DriverError.class).hasCauseInstanceOf(SQLException.class);
      assertTranslated(failure(session.execute("select 1")), PendingRollbackException.class);
      await(session.rollback());
      assertThat(await(session.scalar(Long.class, "select count(*) from listener_accounts"))).isZero();
    }
  }

  @DatabaseTest
  void aClosedConnectionAndUnfitValues(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    assertTranslated(failure(conn.execute("select ?", 1, 2)), ParameterBindingException.class);
    assertTranslated(failure(conn.execute("select ?", Map.of("a", 1))), ParameterBindingException.class);
    assertTranslated(failure(EngineListenerTest.Collector.all(conn.stream("select ?", Map.of("a", 1)))),
        ParameterBindingException.class);
    await(conn.close());
    assertTranslated(failure(conn.execute("select 1")), ResourceClosedException.class);
  }

  @DatabaseTest
  void theConnectionViewsTimeoutAndItsOutcome(TestDatabase db) {
    RecordingListener heard = new RecordingListener();
    open(db, b -> b.listener(heard));
    AsyncConnection conn = await(engine.connect());
    Throwable timedOut = failure(conn.timeout(Duration.ofMillis(300))
        .scalar(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("listener_translated_timeout"))));
    assertTranslated(timedOut, StatementTimeoutException.class);
    // Translated, it is still heard as a timeout: its cause says so.
    assertThat(heard.awaitOperation("connection.scalar").outcome()).isEqualTo(OperationOutcome.TIMEOUT);
    await(conn.rollback());
    assertThat(await(conn.scalar(Integer.class, "select 1"))).isEqualTo(1);
    await(conn.close());
  }

  @DatabaseTest
  void whatTheFacadeDoesNotReachKeepsTheEnginesType(TestDatabase db) {
    open(db);
    // Result.one() called by the application on a buffered result, on its own thread.
    Result empty = await(engine.runSync(c -> c.execute("select 1 from listener_accounts")));
    assertThatThrownBy(empty::one).isInstanceOf(NoResultException.class);
    // The engine's disposal.
    engine.close();
    assertThat(failure(engine.connect())).isInstanceOf(ResourceClosedException.class);
  }

  @DatabaseTest
  void theDefaultTranslatorKeepsTheEnginesTypes(TestDatabase db) {
    engine = db.engine();
    ListenerAccount.recreate(engine.sync(), db);
    try (AsyncSession session = AsyncSessionFactory.of(engine).openSession()) {
      assertThat(failure(session.getOne(ListenerAccount.class, 12345L))).isInstanceOf(NoResultException.class);
    }
    AsyncConnection conn = await(engine.connect());
    assertThat(failure(conn.timeout(Duration.ofMillis(300))
        .scalar(Long.class, ServerActivity.slowQuery(db, ServerActivity.marker("listener_default_timeout")))))
        .isInstanceOf(StatementTimeoutException.class);
    await(conn.close());
  }
}
