package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.core.Engine;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The async engine: creation, pool settings, wrapping a sync engine, options, run_sync, dispose. */
class AsyncEngineTest {

  @DatabaseTest
  void createBuildsAPoolFromAJdbcUrl(TestDatabase db) {
    try (AsyncEngine engine = AsyncEngine.create(db.url())) {
      assertThat(engine.dialect().name()).isEqualTo(db.toString());
      assertThat(engine.sync().dataSource()).isInstanceOf(HikariDataSource.class);
      assertThat(io.asyncengine.testing.Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 1")))).isEqualTo(1);
      assertThat(engine.executorMode()).isIn(ExecutorMode.VIRTUAL, ExecutorMode.PLATFORM);
    }
  }

  @DatabaseTest
  void poolSettingsArePassedToHikari(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(3).minIdle(1).connectionTimeout(Duration.ofSeconds(2))
        .maxLifetime(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(1)).poolName("custom-pool"))) {
      HikariDataSource hikari = (HikariDataSource) engine.sync().dataSource();
      assertThat(hikari.getMaximumPoolSize()).isEqualTo(3);
      assertThat(hikari.getMinimumIdle()).isEqualTo(1);
      assertThat(hikari.getConnectionTimeout()).isEqualTo(2000);
      assertThat(hikari.getMaxLifetime()).isEqualTo(300_000);
      assertThat(hikari.getPoolName()).isEqualTo("custom-pool");
      assertThat(hikari.isAutoCommit()).isFalse();
    }
  }

  @DatabaseTest
  void anExistingDataSourceIsWrappedAndLeftOpen(TestDatabase db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      AsyncEngine engine = AsyncEngine.builder().dataSource(pool).build();
      assertThat(engine.dialect().name()).isEqualTo(db.toString());
      assertThat(io.asyncengine.testing.Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 41 + 1")))).isEqualTo(42);
      engine.close();
      assertThat(pool.isClosed()).isFalse();
    }
  }

  @DatabaseTest
  void aSyncEngineBuiltOnItsOwnIsWrappedAndClosedWithIt(TestDatabase db) {
    Engine sync = Engine.builder().url(db.url()).maxPoolSize(3).minIdle(1).connectionTimeout(Duration.ofSeconds(7)).build();
    try (SqlConnection connection = sync.connect()) {
      assertThat(connection.scalar(Integer.class, "select 2")).isEqualTo(2);
    }
    AsyncEngine engine = AsyncEngine.wrap(sync);
    assertThat(engine.sync()).isSameAs(sync);
    assertThat(engine.gateStats().maxConcurrency()).isEqualTo(3);
    assertThat(engine.executorMode()).isEqualTo(ExecutorMode.PLATFORM);
    assertThat(io.asyncengine.testing.Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 3")))).isEqualTo(3);
    engine.close();
    assertThat(sync.isClosed()).isTrue();
    assertThat(((HikariDataSource) sync.dataSource()).isClosed()).isTrue();
  }

  @DatabaseTest
  void theBuilderSizesTheGateFromTheEngineItBuilt(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(3))) {
      assertThat(engine.sync().maxPoolSize()).isEqualTo(3);
      assertThat(engine.sync().connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(engine.gateStats().maxConcurrency()).isEqualTo(3);
    }
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(3).maxConcurrency(2))) {
      assertThat(engine.gateStats().maxConcurrency()).isEqualTo(2);
    }
  }

  @Test
  void refusedExecutorSettingsFailTheBuildWithTheirMessage() {
    assertThatThrownBy(() -> AsyncEngine.builder().url("jdbc:sqlite::memory:").maxConcurrency(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConcurrency must be at least 1, was 0");
    assertThatThrownBy(() -> AsyncEngine.builder().url("jdbc:sqlite::memory:").executorMode(ExecutorMode.PLATFORM)
        .platformThreads(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("A platform executor needs at least one thread, was 0");
  }

  @Test
  void builderRejectsMissingOrConflictingSources() {
    assertThatThrownBy(() -> AsyncEngine.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("url(jdbcUrl) or dataSource");
    assertThatThrownBy(() -> AsyncEngine.builder().url("jdbc:sqlite::memory:").maxPoolSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPoolSize");
    assertThatThrownBy(() -> AsyncEngine.create("jdbc:nosuchdriver://x"))
        .isInstanceOf(OperationalException.class).hasMessageContaining("jdbc:nosuchdriver://x");
  }

  @Test
  void inMemorySqliteKeepsOneConnectionSoTheDatabaseSurvives() {
    try (AsyncEngine engine = AsyncEngine.builder().url("jdbc:sqlite::memory:").maxPoolSize(8).build()) {
      await(engine.runSyncInTransaction(c -> c.execute("create table t (x int)")));
      await(engine.runSyncInTransaction(c -> c.execute("insert into t values (1)")));
      assertThat(io.asyncengine.testing.Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select x from t")))).isEqualTo(1);
      assertThat(((HikariDataSource) engine.sync().dataSource()).getMaximumPoolSize()).isEqualTo(1);
    }
  }

  @DatabaseTest
  void statementTimeoutOptionCancelsOnTheServer(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.statementTimeout(Duration.ofSeconds(1)))) {
      long start = System.nanoTime();
      Throwable failed = failure(engine.runSync(c -> c.execute(slowQuery(db))));
      assertThat(failed).isInstanceOf(StatementTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      assertThat(io.asyncengine.testing.Await.<Integer>await(engine.runSync(c -> c.scalar(Integer.class, "select 1")))).isEqualTo(1);
    }
  }

  @DatabaseTest
  void cancellingARunningStatementCompletesAtOnceAndStopsItOnTheServer(TestDatabase db) throws Exception {
    try (AsyncEngine engine = db.engine()) {
      AsyncConnection conn = await(engine.connect());
      CompletableFuture<?> running = conn.execute(slowQuery(db));
      Thread.sleep(300);
      long start = System.nanoTime();
      assertThat(running.cancel(true)).isTrue();
      assertThat(running).isCancelled();
      assertThatThrownBy(running::join).isInstanceOf(CancellationException.class);
      // The lane frees up quickly because the statement was cancelled on the server.
      await(conn.rollback());
      assertThat(await(conn.scalar(Integer.class, "select 1"))).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      await(conn.close());
    }
  }

  @DatabaseTest
  void poolExhaustionFailsWithPoolTimeoutNamingTheNumbers(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.maxPoolSize(1).connectionTimeout(Duration.ofMillis(300)))) {
      AsyncConnection held = await(engine.connect());
      Throwable failed = failure(engine.connect());
      assertThat(failed).isInstanceOf(PoolTimeoutException.class)
          .hasMessageContaining("pool size 1").hasMessageContaining("in use 1").hasMessageContaining("waiting");
      await(held.close());
      AsyncConnection next = await(engine.connect());
      await(next.close());
    }
  }

  @DatabaseTest
  void disposeRefusesNewWorkAndClosesThePool(TestDatabase db) {
    AsyncEngine engine = db.engine();
    AsyncEngine view = engine.withOptions(engine.sync().options().withFetchSize(10));
    await(engine.runSync(c -> c.scalar(Integer.class, "select 1")));
    CompletableFuture<Void> disposal = view.dispose();
    assertThat(engine.dispose()).isSameAs(disposal);
    await(disposal);
    assertThat(engine.isDisposed()).isTrue();
    assertThat(((HikariDataSource) engine.sync().dataSource()).isClosed()).isTrue();
    assertThat(failure(engine.connect())).isInstanceOf(io.asyncengine.error.ResourceClosedException.class);
  }

  @DatabaseTest
  void platformExecutorModeRunsTheSameWork(TestDatabase db) {
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.PLATFORM).platformThreads(2))) {
      assertThat(engine.executorMode()).isEqualTo(ExecutorMode.PLATFORM);
      String thread = await(engine.runSync(c -> Thread.currentThread().isVirtual() + ":" + c.scalar(Integer.class, "select 1")));
      assertThat(thread).isEqualTo("false:1");
    }
    try (AsyncEngine engine = db.engine(b -> b.executorMode(ExecutorMode.VIRTUAL))) {
      assertThat(io.asyncengine.testing.Await.<Boolean>await(engine.runSync(c -> Thread.currentThread().isVirtual()))).isTrue();
    }
  }

  @DatabaseTest
  void echoLogsStatementsParametersAndTimeAndShowsParametersInErrors(TestDatabase db) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    String message;
    try (AsyncEngine engine = db.engine(b -> b.echo(true))) {
      await(engine.runSync(c -> c.scalar(Integer.class, "select ? + 1", 41)));
      message = failure(engine.runSync(c -> c.execute("select * from no_such_table where x = ?", "secret-ish"))).getMessage();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("io.asyncengine.sql").contains("select ? + 1 [41]").contains(" ms, ok)");
    assertThat(message).contains("secret-ish");
    try (AsyncEngine quiet = db.engine()) {
      String hidden = failure(quiet.runSync(c -> c.execute("select * from no_such_table where x = ?", "secret-ish"))).getMessage();
      assertThat(hidden).contains("no_such_table").doesNotContain("secret-ish");
    }
  }

  @DatabaseTest
  void aCustomExceptionTranslatorReplacesTheDialects(TestDatabase db) {
    class Translated extends RuntimeException {
      Translated(String message, Throwable cause) {
        super(message, cause);
      }
    }
    try (AsyncEngine engine = db.engine(b -> b.exceptionTranslator(
        (operation, sql, parameters, ex) -> new Translated(operation + " failed: " + sql, ex)))) {
      Throwable failed = failure(engine.runSync(c -> c.execute("select * from no_such_table")));
      assertThat(failed).isInstanceOf(Translated.class).hasMessage("execute failed: select * from no_such_table")
          .hasCauseInstanceOf(java.sql.SQLException.class);
    }
  }

  static String slowQuery(TestDatabase db) {
    return switch (db) {
      case POSTGRESQL -> "select pg_sleep(30)";
      case MARIADB -> "select sleep(30)";
      // A recursive CTE that runs for far longer than the test waits.
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) from r";
    };
  }
}
