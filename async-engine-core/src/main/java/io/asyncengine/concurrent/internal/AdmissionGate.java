package io.asyncengine.concurrent.internal;

import io.asyncengine.error.PoolTimeoutException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The engine's admission gate (anyio's {@code CapacityLimiter}): a fair, FIFO semaphore in front of
 * the connection pool. Work parks here (a parked virtual thread costs a few hundred bytes) instead
 * of contending inside HikariCP, and work that is cancelled while waiting leaves the queue without
 * ever touching a connection.
 *
 * <p>A permit is held from admission until the connection is given back. Thread-safe; {@link
 * #enter} blocks the calling thread (meant to be a virtual thread), the rest never block.
 */
public final class AdmissionGate {

  private final int capacity;
  private final int poolSize;
  private final Semaphore permits;

  /**
   * A gate letting {@code capacity} holders in at once, in front of a pool of {@code poolSize}
   * connections (named in timeout messages).
   *
   * @throws IllegalArgumentException when {@code capacity} is below one
   */
  public AdmissionGate(int capacity, int poolSize) {
    if (capacity < 1) {
      throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.poolSize = poolSize;
    this.permits = new Semaphore(capacity, true);
  }

  /**
   * Waits, in FIFO order, for a permit. Blocks the calling thread.
   *
   * @throws PoolTimeoutException when none was free within {@code timeout}; the message gives the
   *     pool size, the number in use and the number waiting
   * @throws InterruptedException when the waiting thread is interrupted (the work was cancelled)
   */
  public void enter(Duration timeout) throws InterruptedException {
    if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new PoolTimeoutException("No connection available within " + timeout.toMillis() + " ms: pool size "
          + poolSize + ", in use " + inUse() + ", waiting " + waiting() + " (admission gate, maxConcurrency "
          + capacity + ")");
    }
  }

  /**
   * Takes a permit if one is free and nobody is queued ahead (fairness kept). Never blocks; lets
   * {@code connect()} admit callers in call order when the gate is open.
   */
  public boolean tryEnterNow() {
    try {
      return permits.tryAcquire(0, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Gives a permit back; called once per successful {@link #enter}. Any thread. */
  public void leave() {
    permits.release();
  }

  /**
   * Waits until every permit is back (all admitted work has returned its connection and the queue
   * ahead has drained), then keeps them all so nothing else gets in. Used by disposal.
   *
   * @return whether the gate emptied within {@code timeout}
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    return permits.tryAcquire(capacity, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The number of holders admitted at once ({@code maxConcurrency}). */
  public int capacity() {
    return capacity;
  }

  /** Permits held now. */
  public int inUse() {
    return Math.max(0, capacity - permits.availablePermits());
  }

  /** Threads waiting for a permit now (an estimate, as {@link Semaphore#getQueueLength()}). */
  public int waiting() {
    return permits.getQueueLength();
  }
}
