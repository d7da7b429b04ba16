package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.session.SessionCancelFlushTest.CancelItem;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancels a session's flush, commit, autoflushing query or flush-then-get block at 0 µs and at
 * random delays, many times, and checks after
 * each cancel that the session never reports success for work the database did not keep: the next
 * commit either succeeds with the row stored, or refuses until rollback(), after which the session
 * and the database agree on whether the row exists. On SQLite an interrupt that lands on a write
 * makes SQLite roll the whole transaction back by itself; the connection then reopens its
 * transaction, so nothing runs in SQLite's autocommit behind the session's back.
 */
class SessionCancelSweepTest {

  private static final int ROUNDS = 200;

  @ParameterizedTest(name = "[{0}]")
  @EnumSource(TestDatabase.class)
  void sessionCancelSweepOverFlushCommitAndQueries(TestDatabase db) {
    try (AsyncEngine engine = db.engine()) {
      Schema.recreate(engine.sync(), "cancelflush_item",
          "create table cancelflush_item (id bigint primary key, name varchar(50) not null unique)");
      AsyncSessionFactory factory = AsyncSessionFactory.of(engine);
      Random random = new Random(42);
      int refused = 0;
      AsyncSession session = factory.openSession();
      try {
        for (int round = 1; round <= ROUNDS; round++) {
          long id = round;
          await(session.scalar(Long.class, "select count(*) from cancelflush_item")); // holds the connection
          session.add(new CancelItem(id, "item" + id));
          CompletableFuture<?> step = switch (random.nextInt(4)) {
            case 0 -> session.flush();
            case 1 -> session.commit();
            case 2 -> session.execute("select count(*) from cancelflush_item"); // autoflushes first
            default -> session.runSync(s -> {
              s.flush();
              return s.get(CancelItem.class, id);
            });
          };
          int delayMicros = round % 4 == 0 ? 0 : random.nextInt(3000);
          if (delayMicros > 0) {
            LockSupport.parkNanos(delayMicros * 1000L);
          }
          step.cancel(true);
          try {
            await(session.commit());
            assertThat(stored(engine, id)).as("round %d: commit succeeded, so the row is stored", round).isTrue();
          } catch (PendingRollbackException e) {
            refused++;
            await(session.rollback());
          }
          boolean inSession = await(session.get(CancelItem.class, id)).isPresent();
          assertThat(inSession).as("round %d: the session agrees with the database", round)
              .isEqualTo(stored(engine, id));
          await(session.rollback());
        }
      } finally {
        await(session.closeAsync());
      }
      // the last engine.runSync may still be handing its connection back: wait for it, bounded
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (engine.gateStats().inUse() > 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertThat(engine.gateStats().inUse()).as("every connection back").isZero();
      System.out.println("session cancel sweep on " + db + ": " + ROUNDS + " rounds, " + refused
          + " refused until rollback");
    }
  }

  private static boolean stored(AsyncEngine engine, long id) {
    Long count = await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from cancelflush_item where id = ?", id)));
    return count == 1;
  }
}
