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
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/** Each mapping to Spring's DataAccessException hierarchy, produced by a real error. */
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

  @Test
  void poolTimeoutIsCannotGetJdbcConnection() {
    Runners.sqlite().withPropertyValues("async-engine.executor.max-concurrency=1", "async-engine.pool.connection-timeout=300ms")
        .run(context -> {
          AsyncEngine engine = context.getBean(AsyncEngine.class);
          AsyncConnection held = engine.connect().join();
          try {
            Throwable error = failure(engine.connect());
            assertThat(error).isInstanceOf(PoolTimeoutException.class);
            assertThat(EngineExceptions.translate(error)).isInstanceOf(CannotGetJdbcConnectionException.class)
                .cause().isInstanceOf(java.sql.SQLException.class);
          } finally {
            held.close().join();
          }
        });
  }

  @Test
  void noRowAndSeveralRowsAreResultSizeExceptions() {
    Runners.sqlite().run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      Throwable none = failure(engine.runSync(c -> c.execute("select 1 where 1 = 0").one()));
      assertThat(none).isInstanceOf(NoResultException.class);
      assertThat(EngineExceptions.translate(new CompletionException(none))).isInstanceOf(EmptyResultDataAccessException.class);
      Throwable several = failure(engine.runSync(c -> c.execute("select 1 union all select 2").one()));
      assertThat(several).isInstanceOf(MultipleResultsException.class);
      assertThat(EngineExceptions.translate(several)).isInstanceOf(IncorrectResultSizeDataAccessException.class)
          .isNotInstanceOf(EmptyResultDataAccessException.class);
    });
  }

  @Test
  void staleVersionIsOptimisticLockingFailure() {
    Runners.sqlite().withPropertyValues("async-engine.session.expire-on-commit=false").run(context -> {
      AsyncEngine engine = context.getBean(AsyncEngine.class);
      engine.runSyncInTransaction(c -> c.execute(StarterAccount.ddl("sqlite"))).join();
      AsyncSessionFactory sessions = context.getBean(AsyncSessionFactory.class);
      try (AsyncSession first = sessions.openSession(); AsyncSession second = sessions.openSession()) {
        StarterAccount account = new StarterAccount("ada", 100);
        first.add(account);
        first.commit().join();
        StarterAccount copy = second.getOne(StarterAccount.class, account.getId()).join();
        copy.setBalance(200);
        second.commit().join();
        account.setBalance(300);
        Throwable stale = failure(first.commit());
        assertThat(stale).isInstanceOf(StaleObjectException.class);
        assertThat(EngineExceptions.translate(stale)).isInstanceOf(OptimisticLockingFailureException.class);
      }
    });
  }
}
