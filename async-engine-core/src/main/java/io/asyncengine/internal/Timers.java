package io.asyncengine.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon timer thread deadlines are scheduled on. Actions must be short and non-blocking
 * (they complete futures; statement cancels are dispatched to the cancel threads by the lane).
 */
public final class Timers {

  private static final ScheduledThreadPoolExecutor TIMER = create();

  private Timers() {}

  /** Runs {@code action} on the timer thread after {@code delay}; cancel the result to disarm it. */
  public static ScheduledFuture<?> after(Duration delay, Runnable action) {
    return TIMER.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("async-engine-deadlines").factory());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
