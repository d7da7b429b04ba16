package io.asyncengine.asyncio.internal;

import io.asyncengine.concurrent.internal.AdmissionGate;
import io.asyncengine.concurrent.internal.Lane;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Gives one connection's gate permit back exactly once, when the connection is closed, however
 * many times and from whichever threads closing is attempted.
 *
 * <p>The permit is given back on the connection's lane, whose thread is about to run out of work.
 * When the gate hands the permit straight to a waiting connect, that connect takes over the lane
 * ({@link #handedOver()}): its borrow is queued behind the closing task and runs on the same thread
 * right after it, instead of waking another thread (a wake-up costs about 10 µs on a small VM, and
 * under load every connect used to pay one).
 */
final class Release implements Runnable {

  /** The lane whose permit this thread is giving back, while the gate may admit a waiter with it. */
  private static final ThreadLocal<@Nullable Lane> HANDING_OVER = new ThreadLocal<>();

  private final AdmissionGate gate;
  private final Lane lane;
  private final AtomicBoolean done = new AtomicBoolean();

  Release(AdmissionGate gate, Lane lane) {
    this.gate = gate;
    this.lane = lane;
  }

  @Override
  public void run() {
    if (done.compareAndSet(false, true)) {
      HANDING_OVER.set(lane);
      try {
        gate.leave();
      } finally {
        HANDING_OVER.remove();
      }
    }
  }

  /**
   * The lane of the connection whose permit the current thread is giving back, taken by the
   * connect that the gate admits with it (once: the next admission on this thread gets none), or
   * {@code null} when no permit is being handed over here.
   */
  static @Nullable Lane handedOver() {
    Lane lane = HANDING_OVER.get();
    if (lane != null) {
      HANDING_OVER.remove();
    }
    return lane;
  }
}
