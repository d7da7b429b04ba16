package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;

/** Transactions, savepoints, isolation and invalidation on every database. */
class TransactionTest {

  private AsyncEngine engine;

  private AsyncEngine open(TestDatabase db) {
    engine = db.engine();
    Schema.users(engine.sync(), db);
    return engine;
  }

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private long count() {
    return await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from users")));
  }

  @DatabaseTest
  void statementsAutobeginAndCommitMakesThemVisible(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    assertThat(conn.inTransaction()).isFalse();
    await(conn.execute("insert into users(name) values (?)", "a"));
    assertThat(conn.inTransaction()).isTrue();
    await(conn.commit());
    assertThat(conn.inTransaction()).isFalse();
    assertThat(count()).isEqualTo(1);
    await(conn.close());
  }

  @DatabaseTest
  void rollbackAndCloseDiscardUncommittedWork(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.execute("insert into users(name) values (?)", "a"));
    await(conn.rollback());
    assertThat(await(conn.scalar(Long.class, "select count(*) from users"))).isZero();
    await(conn.execute("insert into users(name) values (?)", "b"));
    await(conn.close());
    assertThat(count()).isZero();
  }

  @DatabaseTest
  void explicitBeginCommitsThroughTheTransactionObject(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    AsyncTransaction tx = await(conn.begin());
    assertThat(tx.isActive()).isTrue();
    assertThat(tx.isNested()).isFalse();
    await(conn.execute("insert into users(name) values (?)", "a"));
    await(tx.commit());
    assertThat(tx.isActive()).isFalse();
    assertThat(count()).isEqualTo(1);
    assertThat(failure(tx.commit())).isInstanceOf(InvalidRequestException.class).hasMessageContaining("already ended");
    await(conn.close());
  }

  @DatabaseTest
  void closingAnUnfinishedTransactionRollsItBack(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    AsyncTransaction tx = await(conn.begin());
    await(conn.execute("insert into users(name) values (?)", "gone"));
    await(tx.close());
    assertThat(tx.isActive()).isFalse();
    assertThat(conn.inTransaction()).isFalse();
    await(tx.close()); // nothing left to do
    assertThat(await(conn.scalar(Long.class, "select count(*) from users"))).isZero();
    await(conn.close());
  }

  @DatabaseTest
  void beginInsideATransactionIsRefused(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.execute("select 1"));
    assertThat(failure(conn.begin())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("already begun");
    await(conn.close());
  }

  @DatabaseTest
  void nestedTransactionRollsBackToItsSavepointOnly(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    AsyncTransaction outer = await(conn.begin());
    await(conn.execute("insert into users(name) values (?)", "outer"));
    AsyncTransaction nested = await(conn.beginNested());
    assertThat(nested.isNested()).isTrue();
    assertThat(conn.inNestedTransaction()).isTrue();
    await(conn.execute("insert into users(name) values (?)", "inner"));
    await(nested.rollback());
    assertThat(conn.inNestedTransaction()).isFalse();
    AsyncTransaction kept = await(conn.beginNested());
    await(conn.execute("insert into users(name) values (?)", "kept"));
    await(kept.commit());
    await(outer.commit());
    assertThat(io.asyncengine.testing.Await.<java.util.List<String>>await(engine.runSync(c -> c.scalars(String.class, "select name from users order by name"))))
        .containsExactly("kept", "outer");
    await(conn.close());
  }

  @DatabaseTest
  void aFailedStatementInsideASavepointCanBeRolledBackAndTheOuterWorkKept(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.execute("insert into users(name, email) values (?, ?)", "a", "dup@example.com"));
    AsyncTransaction nested = await(conn.beginNested());
    assertThat(failure(conn.execute("insert into users(name, email) values (?, ?)", "b", "dup@example.com")))
        .isInstanceOf(IntegrityViolationException.class);
    await(nested.rollback());
    await(conn.commit());
    assertThat(count()).isEqualTo(1);
    await(conn.close());
  }

  @DatabaseTest
  void engineInTransactionCommitsOnSuccessAndRollsBackOnFailure(TestDatabase db) {
    open(db);
    Long id = await(engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", "ok")
        .thenApply(r -> r.generatedKeys().scalarOne(Long.class))));
    assertThat(id).isPositive();
    Throwable failed = failure(engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", "lost")
        .thenCompose(r -> conn.execute("insert into users(name) values (?)", (Object) null))));
    assertThat(failed).isInstanceOf(IntegrityViolationException.class);
    Throwable thrown = failure(engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", "lost2")
        .thenApply(r -> {
          throw new IllegalStateException("business rule");
        })));
    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("business rule");
    assertThat(io.asyncengine.testing.Await.<java.util.List<String>>await(engine.runSync(c -> c.scalars(String.class, "select name from users")))).containsExactly("ok");
  }

  @DatabaseTest
  void engineBeginHandsOutAConnectionInATransaction(TestDatabase db) {
    AsyncConnection conn = await(open(db).begin());
    assertThat(conn.inTransaction()).isTrue();
    await(conn.execute("insert into users(name) values (?)", "x"));
    await(conn.commit());
    await(conn.close());
    assertThat(count()).isEqualTo(1);
  }

  @DatabaseTest
  void runSyncInTransactionCommitsAndRunSyncAloneDoesNot(TestDatabase db) {
    open(db);
    await(engine.runSyncInTransaction(c -> c.execute("insert into users(name) values (?)", "committed")));
    await(engine.runSync(c -> c.execute("insert into users(name) values (?)", "rolled back")));
    assertThat(failure(engine.runSyncInTransaction(c -> {
      c.execute("insert into users(name) values (?)", "also rolled back");
      throw new IllegalArgumentException("stop");
    }))).isInstanceOf(IllegalArgumentException.class);
    assertThat(io.asyncengine.testing.Await.<java.util.List<String>>await(engine.runSync(c -> c.scalars(String.class, "select name from users")))).containsExactly("committed");
  }

  @DatabaseTest
  void isolationLevelCanBeSetBeforeATransactionAndIsReported(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.withIsolation(IsolationLevel.SERIALIZABLE));
    assertThat(await(conn.isolationLevel())).isEqualTo(IsolationLevel.SERIALIZABLE);
    await(conn.execute("select 1"));
    assertThat(failure(conn.withIsolation(IsolationLevel.READ_COMMITTED)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("inside a transaction");
    await(conn.close());
    IsolationLevel expected = db.isSqlite() ? IsolationLevel.SERIALIZABLE : IsolationLevel.READ_COMMITTED;
    AsyncEngine readCommitted = engine.withOptions(engine.sync().options().withIsolation(IsolationLevel.READ_COMMITTED));
    AsyncConnection other = await(readCommitted.connect());
    // SQLite has no READ COMMITTED; the dialect runs the stricter SERIALIZABLE, which the test states.
    assertThat(await(other.isolationLevel())).isEqualTo(expected);
    await(other.close());
  }

  @DatabaseTest
  void invalidateEvictsThePhysicalConnection(TestDatabase db) throws Exception {
    AsyncConnection conn = await(open(db).connect());
    java.sql.Connection physical = await(conn.runSync(c -> {
      try {
        return c.jdbc().unwrap(java.sql.Connection.class);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }));
    await(conn.invalidate());
    assertThat(conn.isClosed()).isTrue();
    // HikariCP closes an evicted connection on its own closer thread.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!physical.isClosed() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(physical.isClosed()).isTrue();
    AsyncConnection fresh = await(engine.connect());
    assertThat(await(fresh.scalar(Integer.class, "select 1"))).isEqualTo(1);
    await(fresh.close());
  }

  @DatabaseTest
  void readOnlyOptionRejectsWrites(TestDatabase db) {
    open(db);
    AsyncEngine readOnly = engine.withOptions(engine.sync().options().withReadOnly(true));
    AsyncConnection conn = await(readOnly.connect());
    assertThat(await(conn.scalar(Long.class, "select count(*) from users"))).isZero();
    assertThat(failure(conn.execute("insert into users(name) values (?)", "nope")))
        .isInstanceOf(io.asyncengine.error.AsyncEngineException.class);
    await(conn.close());
    // The pool gives the connection back read-write.
    AsyncConnection writer = await(engine.connect());
    await(writer.execute("insert into users(name) values (?)", "yes"));
    await(writer.commit());
    await(writer.close());
    assertThat(count()).isEqualTo(1);
  }

  @DatabaseTest
  void concurrentTransactionsOnSeparateConnectionsAllCommit(TestDatabase db) {
    open(db);
    CompletableFuture<?>[] all = new CompletableFuture<?>[20];
    for (int i = 0; i < all.length; i++) {
      String name = "c" + i;
      all[i] = engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", name));
    }
    CompletableFuture.allOf(all).join();
    assertThat(count()).isEqualTo(20);
  }
}
