package io.asyncengine.options;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.options.ExecutionOptions.Option;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code withOptions} lays the options it is given over the engine's: each option survives a
 * {@code withOptions} that sets another one, and an option set explicitly overrides.
 */
class ExecutionOptionsMergeTest {

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  // ---- the merge itself, no database ----

  @Test
  void onlyTheOptionsSetOverrideTheBase() {
    ExecutionOptions base = ExecutionOptions.defaults()
        .withIsolation(IsolationLevel.SERIALIZABLE).withStatementTimeout(ONE_SECOND).withFetchSize(7).withReadOnly(true);

    ExecutionOptions merged = ExecutionOptions.defaults().withFetchSize(50).mergedOver(base);
    assertThat(merged.isolation()).isEqualTo(IsolationLevel.SERIALIZABLE);
    assertThat(merged.statementTimeout()).isEqualTo(ONE_SECOND);
    assertThat(merged.fetchSize()).isEqualTo(50);
    assertThat(merged.readOnly()).isTrue();
    for (Option option : Option.values()) {
      assertThat(merged.isSet(option)).as(option.name()).isTrue();
    }

    assertThat(ExecutionOptions.defaults().mergedOver(base)).isEqualTo(base);
    assertThat(base.mergedOver(ExecutionOptions.defaults())).isEqualTo(base);
  }

  @Test
  void settingAnOptionToItsNoneValueStillOverrides() {
    ExecutionOptions base = ExecutionOptions.defaults()
        .withIsolation(IsolationLevel.SERIALIZABLE).withStatementTimeout(ONE_SECOND).withFetchSize(7).withReadOnly(true);
    ExecutionOptions cleared = ExecutionOptions.defaults()
        .withIsolation(null).withStatementTimeout(null).withFetchSize(0).withReadOnly(false).mergedOver(base);
    assertThat(cleared.isolation()).isNull();
    assertThat(cleared.statementTimeout()).isNull();
    assertThat(cleared.fetchSize()).isZero();
    assertThat(cleared.readOnly()).isFalse();
  }

  @Test
  void defaultsSetNothingAndReadAsTheDefaults() {
    ExecutionOptions defaults = ExecutionOptions.defaults();
    for (Option option : Option.values()) {
      assertThat(defaults.isSet(option)).as(option.name()).isFalse();
    }
    assertThat(defaults.isolation()).isNull();
    assertThat(defaults.statementTimeout()).isNull();
    assertThat(defaults.fetchSize()).isZero();
    assertThat(defaults.readOnly()).isFalse();
    assertThat(defaults.withReadOnly(true).isSet(Option.READ_ONLY)).isTrue();
    assertThat(defaults.withReadOnly(true).isSet(Option.STATEMENT_TIMEOUT)).isFalse();
    assertThat(defaults.withReadOnly(true)).hasToString("ExecutionOptions[readOnly=true]");
  }

  @Test
  void badValuesAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> ExecutionOptions.defaults().withFetchSize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rows ");
    assertThatThrownBy(() -> ExecutionOptions.defaults().withStatementTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timeout ");
    assertThatThrownBy(() -> ExecutionOptions.defaults().mergedOver(null))
        .isInstanceOf(NullPointerException.class).hasMessage("base must not be null");
  }

  @Test
  void theBuilderMergesToo() {
    try (AsyncEngine built = AsyncEngine.builder().url("jdbc:sqlite::memory:")
        .statementTimeout(ONE_SECOND)
        .options(ExecutionOptions.defaults().withReadOnly(true))
        .build()) {
      assertThat(built.sync().options().statementTimeout()).isEqualTo(ONE_SECOND);
      assertThat(built.sync().options().readOnly()).isTrue();
    }
  }

  // ---- on the databases, where each option has an effect ----

  @DatabaseTest
  void statementTimeoutSurvivesAViewThatSetsReadOnly(TestDatabase db) throws Exception {
    engine = db.engine(b -> b.statementTimeout(ONE_SECOND));
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withReadOnly(true));
    assertThat(view.sync().options().statementTimeout()).isEqualTo(ONE_SECOND);
    assertStoppedByTheTimeout(view, db);
    // And through a second view, which sets yet another option.
    AsyncEngine second = view.withOptions(ExecutionOptions.defaults().withFetchSize(5));
    assertStoppedByTheTimeout(second, db);
  }

  @DatabaseTest
  void aStatementTimeoutSetOnTheViewOverridesTheEngines(TestDatabase db) throws Exception {
    engine = db.engine();
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withStatementTimeout(ONE_SECOND));
    assertStoppedByTheTimeout(view, db);
    assertThat(engine.sync().options().statementTimeout()).isNull();
  }

  @DatabaseTest
  void aViewCanRemoveTheEnginesStatementTimeout(TestDatabase db) throws InterruptedException {
    engine = db.engine(b -> b.statementTimeout(ONE_SECOND));
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withStatementTimeout(null));
    assertThat(view.sync().options().statementTimeout()).isNull();
    AsyncConnection conn = await(view.connect());
    CompletableFuture<?> running = conn.execute(slowQuery(db));
    // Well past the engine's one second: the view's statement is still running.
    Thread.sleep(3_000);
    assertThat(running).isNotDone();
    running.cancel(true);
    await(conn.rollback());
    await(conn.close());
  }

  @DatabaseTest
  void readOnlySurvivesAViewThatSetsIsolation(TestDatabase db) {
    engine = db.engine(b -> b.options(ExecutionOptions.defaults().withReadOnly(true)));
    Schema.recreate(engine.withOptions(ExecutionOptions.defaults().withReadOnly(false)).sync(),
        "eom_items", "create table eom_items (id int primary key)");
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withIsolation(IsolationLevel.SERIALIZABLE));
    AsyncConnection conn = await(view.connect());
    assertThat(failure(conn.execute("insert into eom_items(id) values (?)", 1))).isInstanceOf(AsyncEngineException.class);
    await(conn.close());
  }

  @DatabaseTest
  void readOnlySetOnTheViewOverridesTheEngines(TestDatabase db) {
    engine = db.engine(b -> b.options(ExecutionOptions.defaults().withReadOnly(true)));
    AsyncEngine writable = engine.withOptions(ExecutionOptions.defaults().withReadOnly(false));
    Schema.recreate(writable.sync(), "eom_items", "create table eom_items (id int primary key)");
    await(writable.inTransaction(c -> c.execute("insert into eom_items(id) values (?)", 1)));
    AsyncEngine readOnlyAgain = writable.withOptions(ExecutionOptions.defaults().withReadOnly(true));
    AsyncConnection conn = await(readOnlyAgain.connect());
    assertThat(failure(conn.execute("insert into eom_items(id) values (?)", 2))).isInstanceOf(AsyncEngineException.class);
    await(conn.close());
    assertThat(await(writable.runSync(c -> c.scalar(Long.class, "select count(*) from eom_items"))).longValue()).isEqualTo(1L);
  }

  @DatabaseTest
  void isolationSurvivesAViewThatSetsReadOnlyAndFetchSize(TestDatabase db) {
    IsolationLevel base = baseIsolation(db);
    engine = db.engine(b -> b.isolationLevel(base));
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withReadOnly(true).withFetchSize(5));
    assertThat(isolationOf(view)).isEqualTo(base);
  }

  @DatabaseTest
  void isolationSetOnTheViewOverridesTheEngines(TestDatabase db) {
    IsolationLevel base = baseIsolation(db);
    IsolationLevel other = db.isSqlite() ? IsolationLevel.SERIALIZABLE : IsolationLevel.READ_COMMITTED;
    engine = db.engine(b -> b.isolationLevel(base));
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withIsolation(other));
    assertThat(isolationOf(view)).isEqualTo(other);
    assertThat(isolationOf(engine)).isEqualTo(base);
  }

  @DatabaseTest
  void fetchSizeSurvivesAViewThatSetsAnotherOptionAndIsOverriddenWhenSet(TestDatabase db) {
    engine = db.engine(b -> b.options(ExecutionOptions.defaults().withFetchSize(7)));
    AsyncEngine view = engine.withOptions(ExecutionOptions.defaults().withStatementTimeout(Duration.ofSeconds(30)));
    assertThat(view.sync().options().fetchSize()).isEqualTo(7);
    assertThat(view.withOptions(ExecutionOptions.defaults().withFetchSize(3)).sync().options().fetchSize()).isEqualTo(3);
    // The merged view still streams.
    assertThat(await(view.runSync(c -> c.scalar(Integer.class, "select 1"))).intValue()).isEqualTo(1);
  }

  /** An isolation level other than the database's default, which each database reports back. */
  private static IsolationLevel baseIsolation(TestDatabase db) {
    return db.isSqlite() ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.SERIALIZABLE;
  }

  private static IsolationLevel isolationOf(AsyncEngine engine) {
    AsyncConnection conn = await(engine.connect());
    try {
      return await(conn.isolationLevel());
    } finally {
      await(conn.close());
    }
  }

  /**
   * Runs a statement that asks for 30 s or more on {@code view} and checks that a statement timeout
   * stopped it long before: it fails with {@link StatementTimeoutException}, or on MariaDB, whose
   * {@code SLEEP} now and then reports an interrupted sleep as the value 1 instead of an error,
   * returns 1. Without the timeout the wait below runs out and the test fails.
   */
  private static void assertStoppedByTheTimeout(AsyncEngine view, TestDatabase db) throws Exception {
    CompletableFuture<Integer> run = view.runSync(c -> c.scalar(Integer.class, slowQuery(db)));
    try {
      Integer value = run.get(20, TimeUnit.SECONDS);
      assertThat(db).as("only MariaDB's SLEEP returns when interrupted").isEqualTo(TestDatabase.MARIADB);
      assertThat(value).isEqualTo(1);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StatementTimeoutException.class);
    }
  }

  private static String slowQuery(TestDatabase db) {
    return switch (db) {
      case POSTGRESQL -> "select pg_sleep(30)";
      case MARIADB -> "select sleep(30)";
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) from r";
    };
  }
}
