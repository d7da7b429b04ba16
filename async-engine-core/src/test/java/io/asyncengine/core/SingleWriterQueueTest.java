package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.result.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's writer queue (core/internal/WriterQueue): writing transactions of one engine take turns
 * in the engine, in order, instead of sleeping in SQLite's busy handler. SQLite only: the other
 * dialects have no single-writer queue.
 */
class SingleWriterQueueTest {

  @TempDir
  Path dir;
  private AsyncEngine engine;

  @BeforeEach
  void createTable() {
    engine = AsyncEngine.builder().url("jdbc:sqlite:" + dir.resolve("writers.db")).maxPoolSize(8).build();
    engine.inTransaction(c -> c.execute("create table counters (id integer primary key, n integer not null)")
        .thenCompose(r -> c.execute("insert into counters(id, n) values (1, 0)"))).join();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aSecondWriterWaitsForTheFirstTransactionToEndThenWrites() throws Exception {
    AsyncConnection first = engine.connect().join();
    AsyncConnection second = engine.connect().join();
    first.execute("update counters set n = n + 1 where id = 1").join();

    CompletableFuture<Result> waiting = second.execute("update counters set n = n + 10 where id = 1");
    Thread.sleep(300);
    assertThat(waiting).isNotDone(); // queued behind the first transaction, not failed

    first.commit().join();
    waiting.get(5, TimeUnit.SECONDS);
    second.commit().join();
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from counters where id = 1")).join()).isEqualTo(11L);
    first.close().join();
    second.close().join();
  }

  @Test
  void queuedWritersWriteInTheOrderTheyAsked() throws Exception {
    engine.inTransaction(c -> c.execute("create table arrivals (seq integer primary key autoincrement, writer integer)")).join();
    AsyncConnection holder = engine.connect().join();
    holder.execute("update counters set n = n + 1 where id = 1").join();
    List<AsyncConnection> writers = new ArrayList<>();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      AsyncConnection writer = engine.connect().join();
      writers.add(writer);
      int index = i;
      writes.add(writer.execute("insert into arrivals(writer) values (?)", index).thenCompose(r -> writer.commit()));
      Thread.sleep(60); // each is waiting before the next asks
    }
    holder.commit().join();
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    // FIFO: SQLite's busy handler, left to itself, lets whoever retries first win.
    assertThat(engine.runSync(c -> c.scalars(Integer.class, "select writer from arrivals order by seq")).join())
        .containsExactly(0, 1, 2, 3, 4, 5);
    holder.close().join();
    for (AsyncConnection writer : writers) {
      writer.close().join();
    }
  }

  @Test
  void aWriterCancelledWhileQueuedLeavesAtOnceAndTheQueueKeepsWorking() throws Exception {
    AsyncConnection holder = engine.connect().join();
    AsyncConnection queued = engine.connect().join();
    holder.execute("update counters set n = n + 1 where id = 1").join();
    CompletableFuture<Result> waiting = queued.execute("update counters set n = n + 10 where id = 1");
    Thread.sleep(100);

    waiting.cancel(true);
    // The lane is free again within the queue's polling slice: its next operation runs.
    assertThat(queued.scalar(Long.class, "select 1").get(2, TimeUnit.SECONDS)).isEqualTo(1L);
    holder.rollback().join();
    // The cancelled writer never got the permit, the holder gave it back: a new writer goes through.
    queued.execute("update counters set n = n + 100 where id = 1").get(2, TimeUnit.SECONDS);
    queued.commit().join();
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from counters where id = 1")).join()).isEqualTo(100L);
    holder.close().join();
    queued.close().join();
  }

  @Test
  void everyWayATransactionEndsGivesTheTurnBack() throws Exception {
    AsyncConnection committed = engine.connect().join();
    committed.execute("update counters set n = n + 1 where id = 1").join();
    committed.commit().join();
    committed.execute("update counters set n = n + 1 where id = 1").join();
    committed.rollback().join();
    committed.execute("update counters set n = n + 1 where id = 1").join();
    committed.close().join(); // rolls back

    AsyncConnection failed = engine.connect().join();
    failed.execute("update counters set n = n + 1 where id = 1").join();
    assertThatThrownBy(() -> failed.execute("insert into counters(id, n) values (1, 0)").join())
        .isInstanceOf(CompletionException.class); // a constraint violation inside the transaction
    failed.close().join();

    AsyncConnection invalidated = engine.connect().join();
    invalidated.execute("update counters set n = n + 1 where id = 1").join();
    invalidated.runSync(c -> {
      c.invalidate();
      return null;
    }).join();
    invalidated.close().join();

    // Had any of them kept the turn, this would wait for SQLite's 10 s timeout.
    long start = System.nanoTime();
    engine.inTransaction(c -> c.execute("update counters set n = n + 1 where id = 1")).get(2, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from counters where id = 1")).join()).isEqualTo(2L);
  }

  @Test
  void concurrentWriteTransactionsAllCommitInTurn() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(engine.inTransaction(c -> c.execute("update counters set n = n + 1 where id = 1")
          .thenCompose(r -> c.scalar(Long.class, "select n from counters where id = 1"))));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from counters where id = 1")).join()).isEqualTo(200L);
  }

  @Test
  void readsDoNotQueueBehindAWriter() throws Exception {
    AsyncConnection writer = engine.connect().join();
    writer.execute("update counters set n = n + 1 where id = 1").join();
    // WAL: a reader sees the last committed value while the writer's transaction is open.
    assertThat(engine.runSync(c -> c.scalar(Long.class, "select n from counters where id = 1")).get(2, TimeUnit.SECONDS))
        .isEqualTo(0L);
    writer.close().join();
  }
}
