package io.asyncengine.core.internal;

import io.asyncengine.error.OperationalException;
import io.asyncengine.error.StatementTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One writing transaction at a time, for a database that allows only one (SQLite): a connection
 * takes the single permit before its transaction's first write and gives it back when the
 * transaction ends. Writers then wait here, in FIFO order, and the next one starts the moment the
 * last one commits, instead of retrying inside SQLite's busy handler, which sleeps 1, 2, 5, 10 ...
 * up to 100 ms between attempts; with a thread per connection that sleep dominated concurrent
 * writes.
 *
 * <p>The turn is not owned by a thread (a transaction's statements may run on different threads of
 * the engine), so the holder is tracked by the connection; waiters are served oldest first and
 * look at their cancel flag every 20 ms. Only connections of the same engine
 * queue here; other processes and engines still meet SQLite's own lock and busy timeout.
 */
public final class WriterQueue {

  /** How often a waiter looks at its cancel flag: a cancelled operation must not hold its lane. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock, oldest first
  private boolean taken; // guarded by lock
  private final Duration timeout;

  /** A queue whose waiters give up after {@code timeout}, as SQLite's busy timeout would. */
  public WriterQueue(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Waits for the turn to write, on the calling thread, behind every writer that asked before.
   *
   * @param cancelled polled while waiting; when it turns true the wait ends with an exception
   * @throws StatementTimeoutException when the operation is cancelled while waiting
   * @throws OperationalException when the turn does not come within the timeout ("database is
   *     locked", the error SQLite itself gives), or the thread is interrupted
   */
  public void acquire(BooleanSupplier cancelled) {
    Waiter me;
    lock.lock();
    try {
      if (!taken) {
        taken = true;
        return;
      }
      me = new Waiter(Thread.currentThread());
      waiters.add(me);
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!me.granted) {
      RuntimeException giveUp = cancelled.getAsBoolean()
          ? new StatementTimeoutException("The operation was cancelled while waiting to write")
          : Thread.currentThread().isInterrupted()
              ? new OperationalException("Interrupted while waiting to write")
              : System.nanoTime() - deadline >= 0
                  ? new OperationalException("database is locked: another transaction of this engine has been writing for more than "
                      + timeout.toMillis() + " ms")
                  : null;
      if (giveUp != null) {
        abandon(me);
        throw giveUp;
      }
      LockSupport.parkNanos(this, Math.min(SLICE_NANOS, Math.max(1, deadline - System.nanoTime())));
    }
  }

  /** Hands the turn to the oldest waiter, or frees it; called once per successful {@link #acquire}. */
  public void release() {
    Waiter next;
    lock.lock();
    try {
      next = waiters.poll();
      if (next == null) {
        taken = false;
        return;
      }
      next.granted = true;
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(next.thread);
  }

  private void abandon(Waiter me) {
    boolean granted;
    lock.lock();
    try {
      granted = me.granted; // the turn may have arrived just now
      if (!granted) {
        waiters.remove(me);
      }
    } finally {
      lock.unlock();
    }
    if (granted) {
      release();
    }
  }

  private static final class Waiter {
    final Thread thread;
    volatile boolean granted;

    Waiter(Thread thread) {
      this.thread = thread;
    }
  }
}
