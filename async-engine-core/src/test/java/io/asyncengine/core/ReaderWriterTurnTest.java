package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.result.Result;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQLite: a transaction that has only read never holds the engine's writer turn, whatever its read
 * looks like (comments, CTEs, parentheses, VALUES, EXPLAIN, read pragmas), so a writer on another
 * connection commits while the reader's transaction stays open. Had the reader kept the turn, the
 * writer would wait for the 10 s busy timeout: the bounded waits below fail instead of hanging.
 */
class ReaderWriterTurnTest {

  private static final long WRITER_WAIT_SECONDS = 5;

  @TempDir
  Path dir;
  private AsyncEngine engine;

  @BeforeEach
  void createTable() {
    engine = AsyncEngine.builder().url("jdbc:sqlite:" + dir.resolve("turns.db")).maxPoolSize(4).build();
    engine.inTransaction(c -> c.execute("create table rwturn_counters (id integer primary key, n integer not null)")
        .thenCompose(r -> c.execute("insert into rwturn_counters(id, n) values (1, 0)"))).join();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select n from rwturn_counters",
      "/* tag */ select n from rwturn_counters",
      "-- x\nselect 1",
      "  \n/* a */ -- b\n  SELECT 1",
      "with x as (select n from rwturn_counters) select n from x",
      "/* tag */ WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 3) SELECT k FROM c",
      "values (1), (2)",
      "select 1 union select 2",
      "explain query plan select * from rwturn_counters",
      "explain update rwturn_counters set n = 5",
      "pragma table_info(rwturn_counters)",
      "pragma user_version",
      "select replace('a', 'a', 'b')",
  })
  void aReaderTransactionLetsAWriterOnAnotherConnectionCommit(String read) throws Exception {
    AsyncConnection reader = engine.connect().join();
    reader.execute(read).get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(reader.inTransaction()).isTrue(); // the reader's transaction stays open

    AsyncConnection writer = engine.connect().join();
    writer.execute("update rwturn_counters set n = n + 1 where id = 1")
        .thenCompose(r -> writer.commit())
        .get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);

    reader.rollback().get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from rwturn_counters where id = 1")).join())
        .isEqualTo(1L);
    reader.close().join();
    writer.close().join();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/* tag */ update rwturn_counters set n = n + 1",
      "with x as (select 1 as a) update rwturn_counters set n = n + (select a from x)",
      "pragma user_version = 3",
  })
  void aWriteHiddenBehindACommentOrACteTakesTheTurn(String write) throws Exception {
    AsyncConnection first = engine.connect().join();
    first.execute(write).get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);

    AsyncConnection second = engine.connect().join();
    CompletableFuture<Result> waiting = second.execute("update rwturn_counters set n = n + 100 where id = 1");
    Thread.sleep(300);
    assertThat(waiting).isNotDone(); // queued behind the first transaction's turn

    first.commit().join();
    waiting.get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    second.commit().join();
    first.close().join();
    second.close().join();
  }

  @Test
  void aStatementThatFailsBeforeRunningDoesNotKeepTheTurn() throws Exception {
    AsyncConnection failed = engine.connect().join();
    assertThatThrownBy(() -> failed.execute("insert into rwturn_missing values (1)").join())
        .isInstanceOf(CompletionException.class);
    assertThat(failed.inTransaction()).isTrue();

    AsyncConnection writer = engine.connect().join();
    writer.execute("update rwturn_counters set n = n + 1 where id = 1")
        .thenCompose(r -> writer.commit())
        .get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    failed.close().join();
    writer.close().join();
  }

  @Test
  void aStreamedReadDoesNotTakeTheTurnAndAStreamedWriteDoes() throws Exception {
    AsyncConnection reader = engine.connect().join();
    reader.runSync(c -> {
      try (var rows = c.stream("/* tag */ with x as (select n from rwturn_counters) select n from x")) {
        return rows.count();
      }
    }).get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    AsyncConnection writer = engine.connect().join();
    writer.execute("update rwturn_counters set n = n + 1 where id = 1")
        .thenCompose(r -> writer.commit())
        .get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);

    // A write through a cursor (RETURNING) queues like any other write. (A new transaction: the
    // reader's snapshot predates the writer's commit, and SQLite refuses to write from it.)
    reader.rollback().join();
    reader.runSync(c -> {
      try (var rows = c.stream("insert into rwturn_counters(id, n) values (2, 0) returning id")) {
        return rows.count();
      }
    }).get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    CompletableFuture<Result> waiting = writer.execute("update rwturn_counters set n = n + 1 where id = 1");
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    reader.commit().join();
    waiting.get(WRITER_WAIT_SECONDS, TimeUnit.SECONDS);
    writer.commit().join();
    reader.close().join();
    writer.close().join();
  }
}
