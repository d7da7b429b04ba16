package io.asyncengine.concurrent.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Where futures of a platform executor complete when continuations must not run on its threads:
 * each task runs on a virtual thread, never on the caller's. A thread that has run its task waits
 * actively for {@link ChainSpin#NANOS} before it ends, and a task handed over meanwhile runs on it:
 * the next step of a chain then costs no thread start and no carrier wake-up.
 *
 * <p>Invariants: at most one thread waits at a time (the {@link #idle} slot); a task is taken by
 * exactly one thread (its waiter's slot goes from empty to the task or to {@link #CLOSED}, once), so
 * a task handed to a waiter that gave up runs on a new thread instead. A task that blocks holds only
 * its own thread: the waiter is a thread that has finished its task.
 *
 * <p>Thread-safe; {@link #execute} never blocks. Never shut down: a virtual thread holds nothing once
 * done.
 */
final class ContinuationThreads implements Executor {

  private static final Runnable CLOSED = () -> {};

  private final ThreadFactory threads;
  private final AtomicReference<@Nullable Waiter> idle = new AtomicReference<>();

  ContinuationThreads(ThreadFactory threads) {
    this.threads = threads;
  }

  @Override
  public void execute(Runnable task) {
    Waiter waiter = idle.getAndSet(null);
    if (waiter != null && waiter.offer(task)) {
      return;
    }
    threads.newThread(() -> runThenWait(task)).start();
  }

  private void runThenWait(Runnable first) {
    Runnable task = first;
    while (task != null) {
      try {
        task.run();
      } catch (Throwable failure) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, failure);
      }
      task = awaitNext();
    }
  }

  /** Waits actively for a task handed to this thread; {@code null} when none came in time (or another thread waits). */
  private @Nullable Runnable awaitNext() {
    if (!ChainSpin.worthIt() || !ChainSpin.mayTry()) {
      return null;
    }
    Waiter waiter = new Waiter();
    if (!idle.compareAndSet(null, waiter)) {
      return null;
    }
    long deadline = System.nanoTime() + ChainSpin.NANOS;
    Runnable task;
    while ((task = waiter.task) == null) {
      if (System.nanoTime() - deadline >= 0 || !ChainSpin.worthIt()) {
        idle.compareAndSet(waiter, null);
        if (waiter.close()) {
          ChainSpin.missed();
          return null;
        }
        return waiter.task;
      }
      Thread.onSpinWait();
    }
    ChainSpin.caught();
    return task;
  }

  /** A waiting thread's slot: empty, then a task or {@link #CLOSED}, never changed again. */
  private static final class Waiter {
    private static final VarHandle TASK;

    static {
      try {
        TASK = MethodHandles.lookup().findVarHandle(Waiter.class, "task", Runnable.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile @Nullable Runnable task;

    /** Hands {@code next} to the waiting thread; false when it has given up. */
    boolean offer(Runnable next) {
      return TASK.compareAndSet(this, null, next);
    }

    /** The waiting thread gives up; false when a task came first. */
    boolean close() {
      return TASK.compareAndSet(this, null, CLOSED);
    }
  }
}
