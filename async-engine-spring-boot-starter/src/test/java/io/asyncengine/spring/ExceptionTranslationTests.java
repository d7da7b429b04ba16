package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.MultipleResultsException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.result.Result;
import io.asyncengine.spring.jdbc.EngineExceptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Each mapping to Spring's DataAccessException hierarchy, produced by a real error: the driver's
 * errors through {@code translate}, the engine's own exceptions through
 * {@code translateEngineException}, both arriving through futures with no call by the caller.
 */
class ExceptionTranslationTests {

  private static final String TABLE = "create table starter_errors (id integer primary key, name varchar(20) not null unique)";

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void withTable(ApplicationContextRunner runner, java.util.function.Consumer<AsyncEngine> test) {
    runner.run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_errors")).join();
      engine.runSyncInTransaction(c -> c.execute(TABLE)).join();
      engine.runSyncInTransaction(c -> c.execute("insert into starter_errors(id, name) values (1, 'ada')")).join();
      try {
        test.accept(engine);
      } finally {
        engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_errors")).join();
      }
    });
  }

  @Test
  void sqliteDuplicateKeyIsDuplicateKeyException() {
    withTable(Runners.sqlite(), engine -> {
      Throwable error = failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (2, 'ada')")));
      assertThat(error).isInstanceOf(DuplicateKeyException.class).hasMessageContaining("starter_errors");
    });
  }

  @Test
  void sqliteNotNullIsDataIntegrityViolation() {
    withTable(Runners.sqlite(), engine -> {
      Throwable error = failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (3, null)")));
      assertThat(error).isInstanceOf(DataIntegrityViolationException.class).isNotInstanceOf(DuplicateKeyException.class);
    });
  }

  @Test
  void sqliteUnknownTableIsBadSqlGrammar() {
    withTable(Runners.sqlite(), engine -> {
      Throwable error = failure(engine.runSync(c -> c.execute("select * from starter_missing")));
      assertThat(error).isInstanceOf(BadSqlGrammarException.class);
      assertThat(((BadSqlGrammarException) error).getSql()).isEqualTo("select * from starter_missing");
    });
  }

  @Test
  void sqliteBusyIsCannotAcquireLock() {
    withTable(Runners.sqlite(), engine -> {
      // A second writer on the same file, with no busy timeout, while the engine's own holds the lock.
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setBusyTimeout(0);
      String url = ((com.zaxxer.hikari.HikariDataSource) engine.sync().dataSource()).getJdbcUrl();
      try (SqlConnection writer = engine.sync().connect();
          java.sql.Connection other = config.createConnection(url)) {
        writer.begin();
        writer.execute("insert into starter_errors(id, name) values (5, 'eve')");
        java.sql.SQLException busy = null;
        try (java.sql.Statement statement = other.createStatement()) {
          statement.execute("insert into starter_errors(id, name) values (6, 'bob')");
        } catch (java.sql.SQLException e) {
          busy = e;
        }
        assertThat((Throwable) busy).isNotNull();
        RuntimeException translated = engine.sync().config().exceptionTranslator().translate("execute", "insert", null, busy);
        assertThat(translated).isInstanceOf(CannotAcquireLockException.class);
        writer.rollback();
      } catch (java.sql.SQLException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void postgresqlDuplicateKeyAndGrammar() {
    withTable(Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)), engine -> {
      assertThat(failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (2, 'ada')"))))
          .isInstanceOf(DuplicateKeyException.class);
      assertThat(failure(engine.runSync(c -> c.execute("selec 1")))).isInstanceOf(BadSqlGrammarException.class);
    });
  }

  @Test
  void postgresqlLockNotAvailableIsCannotAcquireLock() {
    withTable(Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL)), engine -> {
      try (SqlConnection holder = engine.sync().connect()) {
        holder.begin();
        holder.execute("select * from starter_errors where id = 1 for update");
        Throwable error = failure(engine.runSync(c -> c.execute("select * from starter_errors where id = 1 for update nowait")));
        assertThat(error).isInstanceOf(CannotAcquireLockException.class);
        assertThat(((CannotAcquireLockException) error).getCause()).isInstanceOf(java.sql.SQLException.class)
            .extracting(e -> ((java.sql.SQLException) e).getSQLState()).isEqualTo("55P03");
        holder.rollback();
      }
    });
  }

  @Test
  void mariadbDuplicateKey() {
    withTable(Runners.datasource(StarterDatabases.require(StarterDatabases.MARIADB)), engine ->
        assertThat(failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (2, 'ada')"))))
            .isInstanceOf(DuplicateKeyException.class));
  }

  @Test
  void translationOffKeepsTheEnginesExceptions() {
    withTable(Runners.sqlite().withPropertyValues("async-engine.exception-translation.enabled=false"), engine ->
        assertThat(failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (2, 'ada')"))))
            .isInstanceOf(IntegrityViolationException.class));
  }

  @Test
  void anApplicationSqlExceptionTranslatorIsUsed() {
    SQLExceptionTranslator mine = (task, sql, ex) -> new UncategorizedSQLException("mine: " + task, sql, ex);
    withTable(Runners.sqlite().withBean(SQLExceptionTranslator.class, () -> mine), engine ->
        assertThat(failure(engine.runSync(c -> c.execute("insert into starter_errors(id, name) values (2, 'ada')"))))
            .isInstanceOf(UncategorizedSQLException.class).hasMessageContaining("mine: async-engine execute"));
  }

  // ---------------------------------------------------------------- the engine's own exceptions, through futures

  @Test
  void poolTimeoutIsCannotGetJdbcConnection() {
    Runners.sqlite().withPropertyValues("async-engine.executor.max-concurrency=1", "async-engine.pool.connection-timeout=300ms")
        .run(context -> assertPoolTimeoutIsCannotGetJdbcConnection(context.getBean(AsyncEngine.class)));
  }

  @Test
  void noRowAndSeveralRowsAreResultSizeExceptions() {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertResultSizeExceptions(engine, context.getBean(AsyncSessionFactory.class), "sqlite");
      assertThat(failure(engine.runSync(c -> c.execute("select 1 union all select 2").one())))
          .isInstanceOf(IncorrectResultSizeDataAccessException.class).isNotInstanceOf(EmptyResultDataAccessException.class)
          .hasCauseInstanceOf(MultipleResultsException.class);
    });
  }

  @Test
  void staleVersionIsOptimisticLockingFailure() {
    Runners.sqlite().withPropertyValues("async-engine.session.expire-on-commit=false")
        .run(context -> assertStaleVersionIsOptimisticLockingFailure(context.getBean(AsyncEngine.class),
            context.getBean(AsyncSessionFactory.class), "sqlite"));
  }

  @Test
  void theConnectionsTimeoutIsQueryTimeout() {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      AsyncConnection conn = engine.connect().join();
      try {
        Throwable error = failure(conn.timeout(java.time.Duration.ofMillis(300)).scalar(Long.class, SLOW_SQLITE_QUERY));
        assertThat(error).isInstanceOf(QueryTimeoutException.class).hasCauseInstanceOf(StatementTimeoutException.class);
      } finally {
        conn.close().join();
      }
    });
  }

  @Test
  void theEnginesOwnExceptionsOnPostgresql() {
    Runners.datasource(StarterDatabases.require(StarterDatabases.POSTGRESQL))
        .withPropertyValues("spring.datasource.hikari.connection-timeout=300", "async-engine.session.expire-on-commit=false")
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          AsyncSessionFactory sessions = context.getBean(AsyncSessionFactory.class);
          engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_accounts")).join();
          try {
            assertStaleVersionIsOptimisticLockingFailure(engine, sessions, "postgresql");
            assertResultSizeExceptions(engine, sessions, "postgresql");
            assertPoolTimeoutIsCannotGetJdbcConnection(engine);
          } finally {
            engine.runSyncInTransaction(c -> c.execute("drop table if exists starter_accounts")).join();
          }
        });
  }

  @Test
  void translationOffKeepsTheEnginesOwnExceptionsToo() {
    Runners.sqlite().withPropertyValues("async-engine.exception-translation.enabled=false").run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      assertThat(failure(engine.runSync(c -> c.execute("select 1 where 1 = 0").one()))).isInstanceOf(NoResultException.class);
    });
  }

  @Test
  void engineExceptionsTranslatesWhatTheEngineCannotReach() {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      // Result.one() on a buffered result, called on the application's thread.
      Result empty = engine.runSync(c -> c.execute("select 1 where 1 = 0")).join();
      NoResultException none = org.junit.jupiter.api.Assertions.assertThrows(NoResultException.class, empty::one);
      assertThat(EngineExceptions.translate(new CompletionException(none))).isInstanceOf(EmptyResultDataAccessException.class);
      // Already translated: unchanged.
      Throwable translated = failure(engine.runSync(c -> c.execute("select 1 where 1 = 0").one()));
      assertThat(EngineExceptions.translate(translated)).isSameAs(translated);
    });
  }

  /** A statement that runs far longer than the tests wait (a recursive count on SQLite). */
  private static final String SLOW_SQLITE_QUERY =
      "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) from r";

  /** Holds every gate permit, then connects once more. */
  private static void assertPoolTimeoutIsCannotGetJdbcConnection(AsyncEngine engine) {
    java.util.List<AsyncConnection> held = new java.util.ArrayList<>();
    for (int i = 0; i < engine.gateStats().maxConcurrency(); i++) {
      held.add(engine.connect().join());
    }
    try {
      Throwable error = failure(engine.connect());
      assertThat(error).isInstanceOf(CannotGetJdbcConnectionException.class).cause().isInstanceOf(java.sql.SQLException.class)
          .cause().isInstanceOf(PoolTimeoutException.class);
      assertThat(failure(engine.runSync(c -> 1))).isInstanceOf(CannotGetJdbcConnectionException.class);
    } finally {
      held.forEach(connection -> connection.close().join());
    }
  }

  private static void assertResultSizeExceptions(AsyncEngine engine, AsyncSessionFactory sessions, String dialect) {
    assertThat(failure(engine.runSync(c -> c.execute("select 1 where 1 = 0").one())))
        .isInstanceOf(EmptyResultDataAccessException.class).hasCauseInstanceOf(NoResultException.class);
    engine.runSyncInTransaction(c -> c.execute(StarterAccount.ddl(dialect))).join();
    try (AsyncSession session = sessions.openSession()) {
      assertThat(failure(session.getOne(StarterAccount.class, 12345L))).isInstanceOf(EmptyResultDataAccessException.class);
    } finally {
      engine.runSyncInTransaction(c -> c.execute("drop table starter_accounts")).join();
    }
  }

  private static void assertStaleVersionIsOptimisticLockingFailure(AsyncEngine engine, AsyncSessionFactory sessions,
      String dialect) {
    engine.runSyncInTransaction(c -> c.execute(StarterAccount.ddl(dialect))).join();
    try (AsyncSession first = sessions.openSession(); AsyncSession second = sessions.openSession()) {
      StarterAccount account = new StarterAccount("ada", 100);
      first.add(account);
      first.commit().join();
      StarterAccount copy = second.getOne(StarterAccount.class, account.getId()).join();
      copy.setBalance(200);
      second.commit().join();
      account.setBalance(300);
      assertThat(failure(first.commit())).isInstanceOf(OptimisticLockingFailureException.class)
          .hasCauseInstanceOf(StaleObjectException.class);
    } finally {
      engine.runSyncInTransaction(c -> c.execute("drop table starter_accounts")).join();
    }
  }
}
