package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link IsolationLevel#AUTOCOMMIT} (SQLAlchemy's {@code isolation_level="AUTOCOMMIT"}) on every database. */
class AutocommitTest {

  private static AsyncEngine autocommitEngine(TestDatabase db) {
    return withTable(db.engine(b -> b.isolationLevel(IsolationLevel.AUTOCOMMIT)));
  }

  private static AsyncEngine withTable(AsyncEngine engine) {
    engine.runSync(c -> {
      c.execute("drop table if exists autocommit_items");
      c.execute("create table autocommit_items (id integer primary key, name varchar(20))");
      c.commit(); // a no-op in autocommit mode; the default mode would roll the DDL back at close
      return null;
    }).join();
    return engine;
  }

  private static long count(AsyncEngine engine) {
    return engine.runSync(c -> c.scalar(Long.class, "select count(*) from autocommit_items")).join();
  }

  @DatabaseTest
  void eachStatementCommitsAsItRunsAndCloseRollsNothingBack(TestDatabase db) {
    try (AsyncEngine engine = autocommitEngine(db)) {
      AsyncConnection writer = engine.connect().join();
      writer.execute("insert into autocommit_items(id, name) values (1, 'ada')").join();
      assertThat(writer.inTransaction()).isFalse();
      assertThat(writer.isolationLevel().join()).isEqualTo(IsolationLevel.AUTOCOMMIT);
      assertThat(count(engine)).isEqualTo(1); // another connection sees it before any commit
      writer.close().join();
      assertThat(count(engine)).isEqualTo(1);
    }
  }

  @DatabaseTest
  void anExplicitTransactionStillRollsBackAndAutocommitResumesAfterIt(TestDatabase db) {
    try (AsyncEngine engine = autocommitEngine(db)) {
      AsyncConnection conn = engine.connect().join();
      conn.begin().join();
      conn.execute("insert into autocommit_items(id, name) values (2, 'bob')").join();
      assertThat(conn.inTransaction()).isTrue();
      assertThat(count(engine)).isZero(); // not committed yet
      conn.rollback().join();
      assertThat(count(engine)).isZero();

      conn.execute("insert into autocommit_items(id, name) values (3, 'cy')").join();
      assertThat(conn.inTransaction()).isFalse();
      assertThat(count(engine)).isEqualTo(1);
      conn.close().join();
    }
  }

  @DatabaseTest
  void aCursorRunsInATransactionOfItsOwnThatEndsWithIt(TestDatabase db) {
    try (AsyncEngine engine = autocommitEngine(db)) {
      engine.runSync(c -> {
        for (int i = 1; i <= 30; i++) {
          c.execute("insert into autocommit_items(id, name) values (?, ?)", i, "n" + i);
        }
        return null;
      }).join();
      List<Object> ids = engine.runSync(c -> {
        List<Object> seen = new ArrayList<>();
        try (RowCursor cursor = c.cursor("select id from autocommit_items order by id", Params.fromVarargs(new Object[0]))) {
          assertThat(c.inTransaction()).isTrue(); // PostgreSQL streams only inside a transaction
          while (cursor.hasNext()) {
            Row row = cursor.next();
            seen.add(row.get(0));
          }
        }
        assertThat(c.inTransaction()).isFalse();
        c.execute("insert into autocommit_items(id, name) values (99, 'after')");
        return seen;
      }).join();
      assertThat(ids).hasSize(30);
      assertThat(count(engine)).isEqualTo(31); // the insert after the cursor committed by itself
    }
  }

  @DatabaseTest
  void withIsolationSwitchesOneConnectionAndThePoolResetsIt(TestDatabase db) {
    try (AsyncEngine engine = withTable(db.engine(b -> b.maxPoolSize(2)))) {
      AsyncConnection conn = engine.connect().join();
      conn.withIsolation(IsolationLevel.AUTOCOMMIT).join();
      conn.execute("insert into autocommit_items(id, name) values (7, 'di')").join();
      assertThat(count(engine)).isEqualTo(1); // seen from the pool's other connection
      conn.close().join();

      AsyncConnection next = engine.connect().join();
      next.execute("select count(*) from autocommit_items").join();
      assertThat(next.inTransaction()).isTrue(); // the engine's default: autobegin
      next.close().join();
    }
  }

  @DatabaseTest
  void concurrentAutocommitWritesAllLand(TestDatabase db) {
    try (AsyncEngine engine = autocommitEngine(db)) {
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        int id = 100 + i;
        writes.add(engine.runSync(c -> c.execute("insert into autocommit_items(id, name) values (?, 'w')", id)));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
      assertThat(count(engine)).isEqualTo(60);
    }
  }
}
