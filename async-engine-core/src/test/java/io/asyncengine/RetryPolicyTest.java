package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.core.Engine;
import io.asyncengine.error.CommitOutcomeUnknownException;
import io.asyncengine.error.ConnectionLostException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.options.RetryPolicy;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policy's own rules, and the engine's retry loop around real transactions. */
class RetryPolicyTest {

  private static final String TABLE = "retry_policy_items";

  /** Retries heard through the listener. */
  private static final class Retries implements EngineListener {
    final List<String> heard = new CopyOnWriteArrayList<>();
    final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void retryScheduled(String kind, int nextAttempt, Throwable failure, long backoffNanos) {
      heard.add(kind + "#" + nextAttempt + ":" + failure.getClass().getSimpleName());
      first.countDown();
    }
  }

  @Test
  void jitterStaysWithinTheDoublingCeiling() {
    RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
    assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofMillis(10));
    assertThat(policy.backoffCeiling(2)).isEqualTo(Duration.ofMillis(20));
    assertThat(policy.backoffCeiling(4)).isEqualTo(Duration.ofMillis(80));
    assertThat(policy.backoffCeiling(5)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoffCeiling(1000)).isEqualTo(Duration.ofMillis(100));
    Random random = new Random(42);
    long below = 0;
    for (int retry = 1; retry <= 8; retry++) {
      for (int i = 0; i < 2000; i++) {
        Duration wait = policy.backoff(retry, random);
        assertThat(wait).isBetween(Duration.ZERO, policy.backoffCeiling(retry));
        if (wait.compareTo(policy.backoffCeiling(retry).dividedBy(2)) < 0) {
          below++;
        }
      }
    }
    // Full jitter: about half of the waits fall in the lower half of [0, ceiling].
    assertThat(below).isBetween(7000L, 9000L);
    assertThat(RetryPolicy.defaults().withBackoff(Duration.ZERO, Duration.ZERO).backoff(3)).isEqualTo(Duration.ZERO);
  }

  @Test
  void settingsAreValidatedAndCopied() {
    RetryPolicy defaults = RetryPolicy.defaults();
    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.retriesConnectionLoss()).isFalse();
    assertThat(defaults.idempotent().retriesConnectionLoss()).isTrue();
    assertThat(defaults.withMaxAttempts(3).maxAttempts()).isEqualTo(3);
    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.withMaxAttempts(3)).isEqualTo(defaults.withMaxAttempts(3));
    assertThatThrownBy(() -> defaults.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.backoffCeiling(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlySerializationFailuresAndIdempotentConnectionLossAreRetryable() {
    RetryPolicy policy = RetryPolicy.defaults();
    RetryPolicy idempotent = policy.idempotent();
    SerializationFailureException conflict = new SerializationFailureException("conflict");
    ConnectionLostException lost = new ConnectionLostException("lost");
    CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("unknown");

    assertThat(policy.isRetryable(conflict)).isTrue();
    assertThat(policy.isRetryable(new CompletionException(conflict))).isTrue();
    assertThat(policy.isRetryable(new IllegalStateException("wrapped by a translator", conflict))).isTrue();
    assertThat(policy.isRetryable(new RuntimeException("translated", new SQLException("x", "40001")))).isTrue();
    assertThat(policy.isRetryable(new RuntimeException("translated", new SQLException("x", "40P01")))).isTrue();

    assertThat(policy.isRetryable(lost)).isFalse();
    assertThat(idempotent.isRetryable(lost)).isTrue();
    assertThat(idempotent.isRetryable(new CompletionException(lost))).isTrue();
    SQLException socket = new SQLException("I/O error", "08006");
    assertThat(policy.isRetryable(new RuntimeException("translated", socket))).isFalse();
    assertThat(idempotent.isRetryable(new RuntimeException("translated", socket))).isTrue();
    assertThat(idempotent.isRetryable(new RuntimeException("translated", new SQLException("x", "57P01")))).isTrue();
    assertThat(idempotent.isRetryable(new CommitOutcomeUnknownException("unknown", null, socket))).isFalse();

    assertThat(idempotent.isRetryable(unknown)).isFalse();
    assertThat(idempotent.isRetryable(new CommitOutcomeUnknownException("unknown", null, lost))).isFalse();
    assertThat(idempotent.isRetryable(new CommitOutcomeUnknownException("unknown", null, conflict))).isFalse();
    assertThat(idempotent.isRetryable(new CancellationException())).isFalse();
    assertThat(idempotent.isRetryable(new OperationalException("disk full"))).isFalse();
    assertThat(idempotent.isRetryable(new IntegrityViolationException("dup", null, null))).isFalse();
    assertThat(idempotent.isRetryable(new RuntimeException("translated", new SQLException("x", "23505")))).isFalse();
  }

  @DatabaseTest
  void exhaustedAttemptsFailWithTheLastFailureAndTheEarlierOnesSuppressed(TestDatabase db) {
    Retries retries = new Retries();
    try (AsyncEngine engine = db.engine(builder -> builder.listener(retries))) {
      Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (id integer primary key)");
      AtomicInteger attempts = new AtomicInteger();
      RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
      Throwable failure = failure(engine.inTransaction(conn -> {
        int attempt = attempts.incrementAndGet();
        return conn.execute("insert into " + TABLE + " (id) values (?)", attempt)
            .thenCompose(r -> CompletableFuture.failedFuture(new SerializationFailureException("conflict " + attempt)));
      }, policy));
      assertThat(failure).isInstanceOf(SerializationFailureException.class).hasMessage("conflict 3");
      assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("conflict 1", "conflict 2");
      assertThat(attempts).hasValue(3);
      assertThat(retries.heard).containsExactly("engine.in_transaction#2:SerializationFailureException",
          "engine.in_transaction#3:SerializationFailureException");
      // Every attempt was rolled back and gave its connection back.
      assertThat(count(engine)).isZero();
      assertThat(engine.gateStats().inUse()).isZero();
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @DatabaseTest
  void aRetriedTransactionCommitsOnceWhenAnAttemptSucceeds(TestDatabase db) {
    try (AsyncEngine engine = db.engine()) {
      Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (id integer primary key)");
      AsyncSessionFactory sessions = AsyncSessionFactory.of(engine);
      AtomicInteger attempts = new AtomicInteger();
      RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ZERO, Duration.ofMillis(2));
      Integer committed = await(sessions.runInTransaction(session -> {
        session.execute("insert into " + TABLE + " (id) values (?)", 7);
        if (attempts.incrementAndGet() < 3) {
          throw new SerializationFailureException("conflict");
        }
        return attempts.get();
      }, policy));
      assertThat(committed).isEqualTo(3);
      List<Integer> ids = engine.sync().inTransaction(c -> c.scalars(Integer.class, "select id from " + TABLE));
      assertThat(ids).containsExactly(7);
      // The synchronous engine's loop as well.
      AtomicInteger syncAttempts = new AtomicInteger();
      int syncCommitted = engine.sync().inTransaction(c -> {
        c.execute("insert into " + TABLE + " (id) values (?)", 8);
        if (syncAttempts.incrementAndGet() < 2) {
          throw new SerializationFailureException("conflict");
        }
        return syncAttempts.get();
      }, policy);
      assertThat(syncCommitted).isEqualTo(2);
      assertThat(count(engine)).isEqualTo(2);
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @DatabaseTest
  void nonRetryableFailuresRunOnce(TestDatabase db) {
    Retries retries = new Retries();
    try (AsyncEngine engine = db.engine(builder -> builder.listener(retries))) {
      Schema.recreate(engine.sync(), TABLE, "create table " + TABLE + " (id integer primary key)");
      engine.sync().inTransaction(c -> c.execute("insert into " + TABLE + " (id) values (1)"));
      RetryPolicy policy = RetryPolicy.defaults().idempotent().withBackoff(Duration.ZERO, Duration.ZERO);

      AtomicInteger duplicates = new AtomicInteger();
      Throwable duplicate = failure(engine.inTransaction(conn -> {
        duplicates.incrementAndGet();
        return conn.execute("insert into " + TABLE + " (id) values (1)");
      }, policy));
      assertThat(duplicate).isInstanceOf(IntegrityViolationException.class);
      assertThat(duplicates).hasValue(1);

      AtomicInteger unknowns = new AtomicInteger();
      Throwable unknown = failure(engine.inTransaction(conn -> {
        unknowns.incrementAndGet();
        return CompletableFuture.failedFuture(new CommitOutcomeUnknownException("lost during COMMIT"));
      }, policy));
      assertThat(unknown).isInstanceOf(CommitOutcomeUnknownException.class);
      assertThat(unknowns).hasValue(1);

      AtomicInteger lost = new AtomicInteger();
      assertThat(failure(engine.inTransaction(conn -> {
        lost.incrementAndGet();
        return CompletableFuture.failedFuture(new ConnectionLostException("lost"));
      }, RetryPolicy.defaults().withMaxAttempts(4)))).isInstanceOf(ConnectionLostException.class);
      assertThat(lost).as("connection loss is retried only when the caller says the work is idempotent").hasValue(1);

      AtomicInteger lostIdempotent = new AtomicInteger();
      assertThat(failure(engine.inTransaction(conn -> {
        lostIdempotent.incrementAndGet();
        return CompletableFuture.failedFuture(new ConnectionLostException("lost"));
      }, policy.withMaxAttempts(4)))).isInstanceOf(ConnectionLostException.class);
      assertThat(lostIdempotent).hasValue(4);

      AtomicInteger syncDuplicates = new AtomicInteger();
      assertThatThrownBy(() -> engine.sync().inTransaction(c -> {
        syncDuplicates.incrementAndGet();
        return c.execute("insert into " + TABLE + " (id) values (1)");
      }, policy)).isInstanceOf(IntegrityViolationException.class);
      assertThat(syncDuplicates).hasValue(1);
      assertThat(retries.heard).hasSize(3).allMatch(heard -> heard.endsWith("ConnectionLostException"));
      Schema.drop(engine.sync(), TABLE);
    }
  }

  @DatabaseTest
  void cancellingDuringTheBackoffStopsAtOnceHoldingNoConnection(TestDatabase db) throws Exception {
    Retries retries = new Retries();
    try (AsyncEngine engine = db.engine(builder -> builder.listener(retries))) {
      AtomicInteger attempts = new AtomicInteger();
      RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ofSeconds(60), Duration.ofSeconds(60));
      // Full jitter may draw a short wait: repeat until one backoff is long enough to cancel inside.
      CompletableFuture<Object> transaction = null;
      for (int round = 0; round < 20; round++) {
        attempts.set(0);
        retries.heard.clear();
        transaction = engine.inTransaction(conn -> {
          attempts.incrementAndGet();
          return conn.execute("select 1").thenCompose(r -> CompletableFuture.failedFuture(
              new SerializationFailureException("conflict")));
        }, policy);
        awaitCondition(() -> !retries.heard.isEmpty());
        if (attempts.get() == 1) {
          break;
        }
        transaction.cancel(true);
      }
      assertThat(attempts).hasValue(1);
      awaitCondition(() -> engine.gateStats().inUse() == 0);
      assertThat(engine.gateStats().inUse()).as("no connection is held during the backoff").isZero();

      long start = System.nanoTime();
      assertThat(transaction.cancel(true)).isTrue();
      assertThatThrownBy(transaction::join).isInstanceOf(CancellationException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      Thread.sleep(200);
      assertThat(attempts).as("no attempt starts after the cancel").hasValue(1);

      // The engine is fine afterwards.
      Integer one = await(engine.inTransaction(conn -> conn.scalar(Integer.class, "select 1"), policy));
      assertThat(one).isEqualTo(1);
    }
  }

  @Test
  void theSyncLoopEndsWhenInterruptedDuringTheBackoff() throws Exception {
    try (Engine engine = Engine.create(TestDatabase.SQLITE.url())) {
      AtomicInteger attempts = new AtomicInteger();
      CompletableFuture<Throwable> thrown = new CompletableFuture<>();
      Thread worker = Thread.ofVirtual().start(() -> {
        try {
          engine.inTransaction(c -> {
            attempts.incrementAndGet();
            throw new SerializationFailureException("conflict");
          }, RetryPolicy.defaults().withBackoff(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
          thrown.complete(e);
        }
      });
      awaitCondition(() -> attempts.get() == 1);
      Thread.sleep(100);
      worker.interrupt();
      Throwable failure = thrown.get(10, TimeUnit.SECONDS);
      // A draw below 100 ms ends in a second attempt first; either way the loop stops on the interrupt.
      assertThat(failure).isInstanceOfAny(CancellationException.class, SerializationFailureException.class);
      worker.join(10_000);
      assertThat(worker.isAlive()).isFalse();
    }
  }

  private static long count(AsyncEngine engine) {
    Long count = engine.sync().inTransaction(c -> c.scalar(Long.class, "select count(*) from " + TABLE));
    return count == null ? -1 : count;
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(5);
    }
  }
}
