package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.ConcurrentSessionUseException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.session.Entities.Person;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After an operation's future is cancelled while its work still runs, the next operation waits for
 * that work to stop (bounded) instead of failing with ConcurrentSessionUseException; a third one
 * overlapping the waiting one still fails at once.
 */
class SessionCancelWaitTest {

  private AsyncEngine engine;
  private AsyncSession session;

  @AfterEach
  void dispose() {
    if (session != null) {
      await(session.closeAsync());
    }
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncSession open(TestDatabase db) {
    engine = db.engine();
    Entities.create(engine.sync(), db);
    session = AsyncSessionFactory.of(engine).openSession();
    return session;
  }

  /** Work on the session's lane that runs until {@code release}, and records that it returned. */
  private static CompletableFuture<Object> blockedWork(AsyncSession session, CountDownLatch started,
      CountDownLatch release, AtomicBoolean returned, long seconds) {
    return session.runSync(s -> {
      s.execute("select 1");
      started.countDown();
      try {
        release.await(seconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      returned.set(true);
      return null;
    });
  }

  @DatabaseTest
  void sessionNextIoOperationWaitsForTheCancelledWorkAndAThirdFailsAtOnce(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    CompletableFuture<Object> work = blockedWork(session, started, release, returned, 20);
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(work.cancel(true)).isTrue();

    CompletableFuture<Void> rollback = session.rollback();
    CompletableFuture<Void> third = session.flush();
    assertThat(failure(third)).isInstanceOf(ConcurrentSessionUseException.class)
        .hasMessageContaining("flush()").hasMessageContaining("rollback()");
    Thread.sleep(200);
    assertThat(rollback).as("waits while the cancelled work runs").isNotDone();
    release.countDown();
    await(rollback);
    assertThat(returned).isTrue();
    session.add(new Person("after", null));
    await(session.commit());
    List<String> names = await(engine.runSync(c -> c.scalars(String.class, "select name from session_users")));
    assertThat(names).containsExactly("after");
  }

  @DatabaseTest
  void sessionNextCallerThreadOperationWaitsForTheCancelledWork(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    CompletableFuture<Object> work = blockedWork(session, started, release, returned, 20);
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(work.cancel(true)).isTrue();
    Thread releaser = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown();
    });
    List<Object> pending = session.newObjects(); // blocks until the cancelled work stopped
    assertThat(returned).as("the work had stopped when the call ran").isTrue();
    assertThat(pending).isEmpty();
    releaser.join();
    // the interrupted work's transaction was rolled back by the engine
    assertThatThrownBy(() -> session.add(new Person("refused", null))).isInstanceOf(PendingRollbackException.class)
        .hasMessageContaining("runSync()");
    await(session.rollback());
    session.add(new Person("accepted", null));
    await(session.commit());
  }

  @DatabaseTest
  void sessionOperationCancelledWhileWaitingLeavesTheNextOneWaitingToo(TestDatabase db) throws Exception {
    AsyncSession session = open(db);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    CompletableFuture<Object> work = blockedWork(session, started, release, returned, 20);
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(work.cancel(true)).isTrue();
    CompletableFuture<Void> waiting = session.flush();
    assertThat(waiting.cancel(true)).isTrue();
    CompletableFuture<Void> rollback = session.rollback();
    Thread.sleep(200);
    assertThat(rollback).isNotDone();
    release.countDown();
    await(rollback);
    assertThat(returned).isTrue();
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isZero();
  }

  @Test
  void sessionWaitForCancelledWorkIsBoundedAndNamesBothOperations() throws Exception {
    AsyncSession session = open(TestDatabase.SQLITE);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    CompletableFuture<Object> work = blockedWork(session, started, release, returned, 60);
    try {
      assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(work.cancel(true)).isTrue();
      CompletableFuture<Void> next = session.rollback();
      Throwable gaveUp = next.handle((value, failure) -> failure).get(30, TimeUnit.SECONDS);
      assertThat(gaveUp).isInstanceOf(ConcurrentSessionUseException.class)
          .hasMessageContaining("rollback()").hasMessageContaining("runSync()").hasMessageContaining("still running");
      assertThat(returned).isFalse();
    } finally {
      release.countDown();
    }
    await(session.rollback());
    assertThat(returned).isTrue();
  }
}
