package io.asyncengine.asyncio.internal;

import io.asyncengine.internal.Futures;
import io.asyncengine.internal.Timers;
import io.asyncengine.options.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a transaction again, as a {@link RetryPolicy} allows, until it succeeds, fails for good or
 * runs out of attempts. Each attempt is a whole new transaction the {@code attempt} supplier starts
 * (a fresh connection checkout); between attempts the loop holds no connection and no thread, only
 * a timer entry on the engine's timer thread.
 *
 * <p>Invariants: at most one attempt or one backoff timer is current at a time; once the result is
 * done (completed, failed, cancelled, aborted at disposal) no new attempt starts and the current
 * one is cancelled, so cancelling during a backoff stops the loop at once. The final failure is the
 * last attempt's, with the earlier attempts' failures added as suppressed.
 *
 * <p>Thread-safe; attempts start on the caller's thread (the first) or a virtual thread started
 * by the timer when the backoff ends, and the
 * result completes on whichever thread ends the last attempt.
 */
public final class RetryLoop<T extends @Nullable Object> {

  private final RetryPolicy policy;
  private final Supplier<CompletableFuture<T>> attempt;
  private final CompletableFuture<T> result;
  private final @Nullable EngineEvents events;
  private final String kind;
  private final AtomicReference<@Nullable Future<?>> current = new AtomicReference<>();
  private final List<Throwable> earlier = new ArrayList<>(1);

  private RetryLoop(RetryPolicy policy, Supplier<CompletableFuture<T>> attempt, CompletableFuture<T> result,
      @Nullable EngineEvents events, String kind) {
    this.policy = policy;
    this.attempt = attempt;
    this.result = result;
    this.events = events;
    this.kind = kind;
  }

  /**
   * Starts the first attempt on the calling thread and returns {@code result}, which completes
   * with the first successful attempt's value or the failure that ended the loop. Retries are
   * reported to {@code events} (when not null) as {@code kind}.
   */
  public static <T extends @Nullable Object> CompletableFuture<T> start(RetryPolicy policy,
      Supplier<CompletableFuture<T>> attempt, CompletableFuture<T> result, @Nullable EngineEvents events, String kind) {
    RetryLoop<T> loop = new RetryLoop<>(policy, attempt, result, events, kind);
    result.whenComplete((value, failure) -> {
      Future<?> running = loop.current.get();
      if (failure != null && running != null) {
        running.cancel(true);
      }
    });
    loop.run(1);
    return result;
  }

  private void run(int number) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<T> running;
    try {
      running = attempt.get();
    } catch (RuntimeException | Error e) {
      fail(e);
      return;
    }
    current.set(running);
    if (result.isDone()) {
      running.cancel(true); // the result ended while the attempt was starting
      return;
    }
    running.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        failed(number, Futures.unwrap(failure));
      }
    });
  }

  private void failed(int number, Throwable failure) {
    if (result.isDone()) {
      return;
    }
    if (number >= policy.maxAttempts() || !policy.isRetryable(failure)) {
      fail(failure);
      return;
    }
    synchronized (earlier) {
      earlier.add(failure);
    }
    Duration wait = policy.backoff(number);
    if (events != null) {
      events.retryScheduled(kind, number + 1, failure, wait.toNanos());
    }
    // The attempt starts on a virtual thread of its own: its callback is the caller's code, and the
    // timer thread must stay free for deadlines.
    current.set(Timers.after(wait, () -> Thread.ofVirtual().name("async-engine-retry").start(() -> run(number + 1))));
    if (result.isDone()) {
      Future<?> timer = current.get();
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  private void fail(Throwable failure) {
    synchronized (earlier) {
      for (Throwable previous : earlier) {
        if (previous != failure) {
          failure.addSuppressed(previous);
        }
      }
      earlier.clear();
    }
    result.completeExceptionally(failure);
  }
}
