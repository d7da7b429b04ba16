package io.asyncengine.concurrent.internal;

import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.internal.Timers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The admission gate in front of the pool (anyio's {@code CapacityLimiter}): at most
 * {@code capacity} acquisitions hold a slot; the rest wait in FIFO order as queue entries, not as
 * parked threads, so 100,000 waiting tasks cost a small object each.
 *
 * <p>Invariants, under {@link #lock}: {@code available + slots held == capacity}; a slot freed
 * while live tickets wait goes to the oldest of them instead of back to {@code available}; tickets
 * leave the {@code WAITING} state exactly once (admitted, withdrawn or timed out), and whoever wins
 * that transition adjusts {@link #waiting}. All tickets share one timeout, so the oldest ticket is
 * always the first to expire: a single timer, set for the head of the queue, expires them.
 *
 * <p>Callbacks ({@code onAdmit}, {@code onTimeout}) run outside the lock on the thread that freed
 * the slot or fired the timer; they must be quick and must not block.
 */
public final class AdmissionGate {

  private final int capacity;
  private final int poolSize;
  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allFree = lock.newCondition();
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>(); // guarded by lock
  private final AtomicInteger waiting = new AtomicInteger();
  private int available; // guarded by lock
  private @Nullable ScheduledFuture<?> expiry; // guarded by lock; the timer for the head of the queue

  /**
   * A gate of {@code capacity} slots in front of a pool of {@code poolSize} connections; a ticket
   * waiting longer than {@code timeout} fails with {@link PoolTimeoutException}.
   *
   * @throws IllegalArgumentException when {@code capacity} is below 1
   */
  public AdmissionGate(int capacity, int poolSize, Duration timeout) {
    if (capacity < 1) {
      throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.poolSize = poolSize;
    this.timeout = timeout;
    this.available = capacity;
  }

  /**
   * Queues for a slot. {@code onAdmit} is called once a slot is held for the caller (possibly at
   * once, on this thread); it returns false to decline the slot (its work was cancelled meanwhile),
   * which passes the slot on. {@code onTimeout} is called instead when the wait passes the timeout.
   *
   * @return the ticket, to {@link #withdraw(Ticket) withdraw} on cancellation
   */
  public Ticket enter(Admission onAdmit, Consumer<PoolTimeoutException> onTimeout) {
    Ticket ticket = new Ticket(onAdmit, onTimeout, System.nanoTime() + timeout.toNanos());
    boolean now;
    lock.lock();
    try {
      now = available > 0 && queue.isEmpty();
      if (now) {
        available--;
        ticket.state.set(Ticket.ADMITTED);
      } else {
        queue.add(ticket);
        waiting.incrementAndGet();
        if (expiry == null) {
          scheduleExpiry(ticket.deadline);
        }
      }
    } finally {
      lock.unlock();
    }
    if (now && !onAdmit.admitted()) {
      leave();
    }
    return ticket;
  }

  /** Gives a slot back: to the oldest live waiter, or to the gate. */
  public void leave() {
    while (true) {
      Ticket next;
      lock.lock();
      try {
        next = pollLive();
        if (next == null) {
          available++;
          if (available == capacity) {
            allFree.signalAll();
          }
          return;
        }
      } finally {
        lock.unlock();
      }
      if (next.onAdmit.admitted()) {
        return;
      }
      // Declined (cancelled between admission and now): pass the slot on, without recursion.
    }
  }

  /**
   * Waits until every slot is free, then holds them all so nothing new is admitted (disposal).
   *
   * @return false when {@code timeout} passed first (nothing is taken then)
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (available < capacity) {
        if (nanos <= 0) {
          return false;
        }
        nanos = allFree.awaitNanos(nanos);
      }
      available = 0;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code ticket} out of the queue if it still waits (its entry is dropped lazily); never
   * touches a slot.
   *
   * @return whether the ticket was still waiting
   */
  public boolean withdraw(Ticket ticket) {
    if (ticket.state.compareAndSet(Ticket.WAITING, Ticket.WITHDRAWN)) {
      waiting.decrementAndGet();
      return true;
    }
    return false;
  }

  /** The number of slots. */
  public int capacity() {
    return capacity;
  }

  /** Slots held right now. */
  public int inUse() {
    lock.lock();
    try {
      return capacity - available;
    } finally {
      lock.unlock();
    }
  }

  /** Live tickets waiting right now. */
  public int waiting() {
    return waiting.get();
  }

  // Under lock: the oldest ticket still waiting, claimed for admission; dead tickets are dropped.
  private @Nullable Ticket pollLive() {
    Ticket ticket;
    while ((ticket = queue.poll()) != null) {
      if (ticket.state.compareAndSet(Ticket.WAITING, Ticket.ADMITTED)) {
        waiting.decrementAndGet();
        return ticket;
      }
    }
    return null;
  }

  private void scheduleExpiry(long deadline) {
    expiry = Timers.after(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), this::expire);
  }

  private void expire() {
    List<Ticket> expired = new ArrayList<>();
    lock.lock();
    try {
      expiry = null;
      long now = System.nanoTime();
      Ticket head;
      while ((head = queue.peek()) != null) {
        if (head.state.get() != Ticket.WAITING) {
          queue.poll();
        } else if (head.deadline - now <= 0) {
          queue.poll();
          if (head.state.compareAndSet(Ticket.WAITING, Ticket.TIMED_OUT)) {
            waiting.decrementAndGet();
            expired.add(head);
          }
        } else {
          scheduleExpiry(head.deadline);
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    for (Ticket ticket : expired) {
      ticket.onTimeout.accept(new PoolTimeoutException("No connection available within " + timeout.toMillis()
          + " ms: pool size " + poolSize + ", in use " + inUse() + ", waiting " + waiting()
          + " (admission gate, maxConcurrency " + capacity + ")"));
    }
  }

  /** What a ticket does when a slot is handed to it. */
  @FunctionalInterface
  public interface Admission {
    /** Takes the slot (true), or declines it because the work was cancelled (false). Must not block. */
    boolean admitted();
  }

  /** A place in the queue. */
  public static final class Ticket {
    private static final int WAITING = 0;
    private static final int ADMITTED = 1;
    private static final int WITHDRAWN = 2;
    private static final int TIMED_OUT = 3;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Admission onAdmit;
    private final Consumer<PoolTimeoutException> onTimeout;
    private final long deadline;

    private Ticket(Admission onAdmit, Consumer<PoolTimeoutException> onTimeout, long deadline) {
      this.onAdmit = onAdmit;
      this.onTimeout = onTimeout;
      this.deadline = deadline;
    }
  }
}
