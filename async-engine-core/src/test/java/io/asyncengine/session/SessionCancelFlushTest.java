package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.mapping.Table;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * A session whose flush was cancelled or failed must refuse to go on until rolled back, and its
 * commit must never report success for work the database did not keep. The flush is blocked on a
 * row lock held by a second connection (on SQLite, the engine's writer turn), cancelled, and the
 * lock released; or it fails on a constraint; or it completes just before the cancel lands and the
 * engine rolls its transaction back afterwards.
 */
class SessionCancelFlushTest {

  /** A POJO with an application-assigned id on a table of this test's own. */
  @Table("cancelflush_item")
  public static final class CancelItem {
    private Long id;
    private String name;

    public CancelItem() {}

    CancelItem(long id, String name) {
      this.id = id;
      this.name = name;
    }

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  private AsyncEngine engine;
  private AsyncSessionFactory factory;
  private final List<AsyncSession> sessions = new ArrayList<>();

  @AfterEach
  void dispose() {
    for (AsyncSession session : sessions) {
      await(session.closeAsync());
    }
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncSession open(TestDatabase db) {
    engine = db.engine();
    Schema.recreate(engine.sync(), "cancelflush_item",
        "create table cancelflush_item (id bigint primary key, name varchar(50) not null unique)");
    await(engine.runSyncInTransaction(c -> c.execute("insert into cancelflush_item (id, name) values (1, 'one')")));
    factory = AsyncSessionFactory.of(engine);
    return session();
  }

  private AsyncSession session() {
    AsyncSession session = factory.openSession();
    sessions.add(session);
    return session;
  }

  private List<String> names() {
    return await(engine.runSync(c -> c.scalars(String.class, "select name from cancelflush_item order by id")));
  }

  /** A second connection holding the row lock of item 1 (and, on SQLite, the writer turn). */
  private AsyncConnection lockItemOne() {
    AsyncConnection locker = await(engine.connect());
    await(locker.execute("update cancelflush_item set name = 'locked' where id = 1"));
    return locker;
  }

  /** Waits until the session's UPDATE waits for the lock (SQLite: the writer turn, a short pause). */
  private static void awaitBlocked(TestDatabase db, CompletableFuture<?> flush) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    if (db.isSqlite()) {
      Thread.sleep(300);
    } else {
      while (ServerActivity.executing(db, "cancelflush_item") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(ServerActivity.executing(db, "cancelflush_item")).as("the flush waits for the lock").isPositive();
    }
    assertThat(flush).as("the flush is blocked").isNotDone();
  }

  /** The session refuses to commit, names the cause, and after rollback() agrees with the database. */
  private void assertRefusesUntilRolledBack(AsyncSession session, String cause) {
    Throwable refused = failure(session.commit());
    assertThat(refused).isInstanceOf(PendingRollbackException.class)
        .hasMessageContaining("rollback()").hasMessageContaining(cause);
    assertThat(failure(session.get(CancelItem.class, 2L))).isInstanceOf(PendingRollbackException.class);
    assertThat(names()).as("nothing of the flush was kept").containsExactly("one");
    await(session.rollback());
    assertThat(await(session.get(CancelItem.class, 2L))).as("the session forgot the rolled-back insert").isEmpty();
    assertThat(await(session.getOne(CancelItem.class, 1L)).getName()).isEqualTo("one");
    session.add(new CancelItem(3, "three"));
    await(session.commit());
    assertThat(names()).containsExactly("one", "three");
  }

  @DatabaseTest
  void sessionFlushCancelledWhileBlockedOnALockNeedsRollback(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    CancelItem one = await(session.getOne(CancelItem.class, 1L));
    AsyncConnection locker = lockItemOne();
    try {
      session.add(new CancelItem(2, "two"));
      one.setName("renamed");
      CompletableFuture<Void> flush = session.flush();
      awaitBlocked(db, flush);
      assertThat(flush.cancel(true)).isTrue();
    } finally {
      await(locker.rollback());
      await(locker.close());
    }
    assertRefusesUntilRolledBack(session, "cancel");
  }

  @DatabaseTest
  void sessionFlushCancelledJustAsTheLockIsReleasedNeedsRollback(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    for (int round = 0; round < 5; round++) {
      CancelItem one = await(session.getOne(CancelItem.class, 1L));
      AsyncConnection locker = lockItemOne();
      session.add(new CancelItem(2, "two"));
      one.setName("renamed");
      CompletableFuture<Void> flush = session.flush();
      try {
        awaitBlocked(db, flush);
      } finally {
        locker.rollback(); // not awaited: the lock goes while the cancel is on its way
        locker.close();
      }
      boolean cancelled = flush.cancel(true);
      if (!cancelled) {
        // the flush won the race and its future completed: nothing was interrupted
        await(session.rollback());
        continue;
      }
      Throwable refused = failure(session.commit());
      assertThat(refused).isInstanceOf(PendingRollbackException.class).hasMessageContaining("rollback()");
      assertThat(names()).containsExactly("one");
      await(session.rollback());
      assertThat(await(session.get(CancelItem.class, 2L))).isEmpty();
    }
    assertThat(names()).containsExactly("one");
  }

  @DatabaseTest
  void sessionFlushThatCompletedBeforeItsCancelLandedNeedsRollback(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    session.add(new CancelItem(2, "two"));
    CountDownLatch flushed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> work = session.runSync(s -> {
      s.flush();
      flushed.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(flushed.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(work.cancel(true)).isTrue();
    release.countDown(); // the work returns normally; the engine then rolls its transaction back
    assertRefusesUntilRolledBack(session, "runSync() was cancelled");
  }

  @DatabaseTest
  void sessionFlushFailingOnAConstraintNeedsRollbackAndCommitNeverSucceeds(TestDatabase db) {
    AsyncSession session = open(db);
    session.add(new CancelItem(2, "two"));
    session.add(new CancelItem(4, "one")); // duplicate name
    assertThat(failure(session.flush())).isInstanceOf(IntegrityViolationException.class);
    Throwable refused = failure(session.commit());
    assertThat(refused).isInstanceOf(PendingRollbackException.class)
        .hasMessageContaining("failed flush").hasCauseInstanceOf(IntegrityViolationException.class);
    assertThat(failure(session.execute("select 1"))).isInstanceOf(PendingRollbackException.class);
    assertThat(names()).containsExactly("one");
    assertRefusesUntilRolledBack(session, "failed flush");
  }

  @DatabaseTest
  void sessionCancelledQueryAfterAFlushNeedsRollbackBecauseTheFlushIsGone(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    session.add(new CancelItem(2, "two"));
    await(session.flush());
    CompletableFuture<?> slow = session.execute(ServerActivity.slowQuery(db, ServerActivity.marker("cancelflush")));
    Thread.sleep(200);
    assertThat(slow.cancel(true)).isTrue();
    assertRefusesUntilRolledBack(session, "execute() was cancelled");
  }

  @DatabaseTest
  void sessionCommitAfterAFailedStatementNeverReportsSuccessForLostWork(TestDatabase db) {
    AsyncSession session = open(db);
    session.add(new CancelItem(2, "two"));
    await(session.flush());
    assertThat(failure(session.execute("select * from cancelflush_no_such_table")))
        .isInstanceOf(ProgrammingException.class);
    if (db == TestDatabase.POSTGRESQL) {
      // PostgreSQL aborted the transaction: its COMMIT would silently roll back
      assertRefusesUntilRolledBack(session, "failed statement");
    } else {
      await(session.commit());
      assertThat(names()).containsExactly("one", "two");
    }
  }
}
