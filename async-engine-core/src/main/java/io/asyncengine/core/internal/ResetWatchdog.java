package io.asyncengine.core.internal;

import io.asyncengine.internal.Timers;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the rollback (and cursor cleanup) that returns a closed connection to the pool after its
 * caller has been told it is closed: nobody waits for that work, so a rollback hung on a lost
 * network or a stuck server would hold its connection and its admission permit for good. When the
 * limit passes first, the timer thread cuts the connection off (its server session killed where the
 * dialect tracks them, its socket closed), which fails the rollback on the connection's thread; the
 * connection is then evicted, never given back.
 *
 * <p>Invariant: exactly one of {@link #disarm()} (the connection's thread, the work finished) and the
 * timer wins; the loser does nothing. So a cut-off never reaches a connection that was already given
 * back (and perhaps lent to someone else).
 */
public final class ResetWatchdog {

  private static final int ARMED = 0;
  private static final int DISARMED = 1;
  private static final int FIRED = 2;

  private final Checkout checkout;
  private final AtomicInteger state = new AtomicInteger(ARMED);
  private final ScheduledFuture<?> timer;

  private ResetWatchdog(Checkout checkout, Duration limit) {
    this.checkout = checkout;
    this.timer = Timers.after(limit, this::fire);
  }

  /** Starts the clock for the cleanup of {@code checkout}. Any thread; never blocks. */
  public static ResetWatchdog arm(Checkout checkout, Duration limit) {
    return new ResetWatchdog(checkout, limit);
  }

  /**
   * Stops the clock, on the connection's thread once the cleanup returned.
   *
   * @return true when the cleanup finished in time; false when the connection was cut off, and must
   *     be evicted whatever the cleanup reported
   */
  public boolean disarm() {
    if (state.compareAndSet(ARMED, DISARMED)) {
      timer.cancel(false);
      return true;
    }
    return false;
  }

  private void fire() {
    if (state.compareAndSet(ARMED, FIRED)) {
      checkout.cutOff();
    }
  }
}
