package io.asyncengine.options;

import io.asyncengine.error.CommitOutcomeUnknownException;
import io.asyncengine.error.ConnectionLostException;
import io.asyncengine.error.SerializationFailureException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When and how often a whole transaction is run again after it failed: the argument of
 * {@code AsyncEngine.inTransaction(work, policy)}, {@code AsyncSessionFactory.inTransaction} and
 * {@code runInTransaction(work, policy)}, and {@code Engine.inTransaction(work, policy)}.
 *
 * <p>What is retried ({@link #isRetryable}):
 * <ul>
 *   <li>always: a {@link SerializationFailureException} (PostgreSQL 40001 and 40P01, MariaDB
 *       deadlock 1213), or a driver {@code SQLException} with SQLState 40001 or 40P01 (what an
 *       exception translator that raises other types keeps as the cause). The database rolled the
 *       transaction back, so running it again cannot apply its writes twice;
 *   <li>only under {@link #idempotent()}: a {@link ConnectionLostException}, raised before COMMIT
 *       was sent (or, behind a translator that raises other types, a driver {@code SQLException}
 *       with SQLState class 08 or 57P01/57P02/57P03). The caller promises that running the work twice is harmless (it only reads, or
 *       its writes are idempotent), since a statement may have reached the server before the
 *       connection broke;
 *   <li>never: a {@link CommitOutcomeUnknownException} (the connection broke while COMMIT was in
 *       flight, so the transaction may have been committed), a cancellation, and anything else
 *       (constraint violations, timeouts, programming errors, a disposed engine).
 * </ul>
 * The failure and its causes are searched, so a translator that wraps the engine's exception does
 * not hide it.
 *
 * <p>Attempts: at most {@link #maxAttempts()} runs in all. Before retry {@code n} (1 for the
 * second run) the engine waits a random time in {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}
 * ("full jitter", which spreads conflicting transactions apart instead of letting them collide
 * again in step). Defaults: 5 attempts, 10 ms initial, 1 s maximum, connection loss not retried.
 *
 * <p>Immutable and thread-safe; each {@code with…} method returns a copy.
 */
public final class RetryPolicy {

  private static final RetryPolicy DEFAULTS =
      new RetryPolicy(5, Duration.ofMillis(10), Duration.ofSeconds(1), false);
  /** How deep the cause chain is searched: translators wrap once or twice. */
  private static final int CAUSE_DEPTH = 8;

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final boolean idempotent;

  private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean idempotent) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.idempotent = idempotent;
  }

  /** 5 attempts, backoff from 10 ms up to 1 s with full jitter, serialization failures only. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * This policy with at most {@code attempts} runs in all (1: no retry).
   *
   * @throws IllegalArgumentException when {@code attempts} is below 1
   */
  public RetryPolicy withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + attempts);
    }
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, idempotent);
  }

  /**
   * This policy with backoff ceilings starting at {@code initial} and doubling up to {@code max}.
   * Zero durations are allowed (retry at once).
   *
   * @throws IllegalArgumentException when either is negative, or {@code initial} exceeds {@code max}
   * @throws NullPointerException when either is null
   */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    Objects.requireNonNull(initial, "initial must not be null");
    Objects.requireNonNull(max, "max must not be null");
    if (initial.isNegative() || max.isNegative() || initial.compareTo(max) > 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + " and " + max);
    }
    return new RetryPolicy(maxAttempts, initial, max, idempotent);
  }

  /**
   * This policy, also retrying a transaction whose connection was lost before its COMMIT was sent
   * ({@link ConnectionLostException}). Use it only for work that may run twice without harm: a
   * read-only transaction, or writes that are idempotent (an upsert of fixed values, an insert
   * guarded by a unique key the work checks). A {@link CommitOutcomeUnknownException} is still
   * never retried.
   */
  public RetryPolicy idempotent() {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, true);
  }

  /** Runs in all, the first included; at least 1. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The backoff ceiling before the first retry. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The largest backoff ceiling. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Whether connection loss before COMMIT is retried ({@link #idempotent()}). */
  public boolean retriesConnectionLoss() {
    return idempotent;
  }

  /**
   * Whether a transaction that failed with {@code failure} may run again under this policy (see
   * the class comment); {@link CompletionException} and {@link ExecutionException} wrappers are
   * looked through. Does not count attempts. Never throws.
   */
  public boolean isRetryable(Throwable failure) {
    Throwable current = failure;
    boolean retryable = false;
    for (int depth = 0; current != null && depth < CAUSE_DEPTH; depth++, current = current.getCause()) {
      if (current instanceof CommitOutcomeUnknownException || current instanceof CancellationException) {
        return false; // wins over anything further down the chain
      }
      if (current instanceof SerializationFailureException
          || (idempotent && current instanceof ConnectionLostException)
          || (current instanceof SQLException sql && isSerializationState(sql.getSQLState()))
          || (idempotent && current instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
        retryable = true;
      }
      if (current.getCause() == current) {
        break;
      }
    }
    return retryable;
  }

  /**
   * The backoff ceiling before retry {@code retry} (1 for the second run):
   * {@code min(maxBackoff, initialBackoff * 2^(retry-1))}.
   *
   * @throws IllegalArgumentException when {@code retry} is below 1
   */
  public Duration backoffCeiling(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1, was " + retry);
    }
    int shift = Math.min(retry - 1, 62);
    long initial = initialBackoff.toNanos();
    long ceiling = initial > (maxBackoff.toNanos() >> shift) ? maxBackoff.toNanos() : initial << shift;
    return Duration.ofNanos(Math.min(ceiling, maxBackoff.toNanos()));
  }

  /**
   * A random wait before retry {@code retry}, uniform in {@code [0, backoffCeiling(retry)]}, drawn
   * from {@code random}.
   *
   * @throws IllegalArgumentException when {@code retry} is below 1
   */
  public Duration backoff(int retry, RandomGenerator random) {
    long ceiling = backoffCeiling(retry).toNanos();
    return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }

  /** {@link #backoff(int, RandomGenerator)} with the calling thread's {@link ThreadLocalRandom}. */
  public Duration backoff(int retry) {
    return backoff(retry, ThreadLocalRandom.current());
  }

  private static boolean isSerializationState(@Nullable String sqlState) {
    return "40001".equals(sqlState) || "40P01".equals(sqlState);
  }

  private static boolean isConnectionState(@Nullable String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || "57P01".equals(sqlState) || "57P02".equals(sqlState)
        || "57P03".equals(sqlState));
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RetryPolicy that && maxAttempts == that.maxAttempts && idempotent == that.idempotent
        && initialBackoff.equals(that.initialBackoff) && maxBackoff.equals(that.maxBackoff);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, idempotent);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
        + (idempotent ? ", idempotent" : "") + "]";
  }
}
