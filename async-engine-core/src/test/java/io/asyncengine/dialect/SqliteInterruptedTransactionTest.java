package io.asyncengine.dialect;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.TestDatabase;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SQLite rolls back a whole transaction by itself when a write inside it is interrupted. The
 * connection must then still run every later statement in a transaction of its own, so that a
 * rollback undoes it: never in SQLite's autocommit mode behind the caller's back.
 */
class SqliteInterruptedTransactionTest {

  private static final String TABLE = "interrupted_tx_rows";

  @Test
  void afterAnInterruptedWriteTheNextTransactionCanStillBeRolledBack() throws Exception {
    try (AsyncEngine engine = TestDatabase.SQLITE.engine()) {
      AsyncConnection conn = await(engine.connect());
      await(conn.execute("create table " + TABLE + " (id integer primary key, note text)"));
      await(conn.commit());
      for (int round = 0; round < 5; round++) {
        await(conn.execute("insert into " + TABLE + " (note) values ('before')"));
        CompletableFuture<?> longWrite = conn.execute("insert into " + TABLE + " (note) "
            + "with recursive n(i) as (select 1 union all select i + 1 from n where i < 50000000) "
            + "select 'bulk' from n");
        Thread.sleep(200);
        longWrite.cancel(true);
        failure(longWrite);
        await(conn.rollback());

        await(conn.execute("insert into " + TABLE + " (note) values ('after')"));
        await(conn.rollback());
        long rows = await(conn.scalar(Long.class, "select count(*) from " + TABLE));
        assertThat(rows).as("round %d: rows left after two rollbacks", round).isZero();
        await(conn.execute("insert into " + TABLE + " (note) values ('kept')"));
        await(conn.commit());
        await(conn.execute("delete from " + TABLE));
        await(conn.commit());
      }
      await(conn.close());
    }
  }
}
