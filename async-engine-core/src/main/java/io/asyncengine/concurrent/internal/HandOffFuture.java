package io.asyncengine.concurrent.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A future whose completion, handed off an engine thread, runs on the virtual thread blocked in its
 * {@link #join()} or {@link #get()} when there is one, instead of on a new thread that would then
 * have to wake it. A request handler on a virtual thread that waits for an operation is woken once,
 * by the engine thread, and completes the future itself; its continuations run on it, a virtual
 * thread that is not the engine's, as they would on the thread the engine hands completions to.
 *
 * <p>Invariants: {@link #waiter} goes from empty to one waiting virtual thread, from there to the
 * completion handed to it, and ends {@link #CLOSED}; a completion is run exactly once, by the
 * waiter or by the fallback executor. Only the first virtual thread to wait takes the slot; other
 * waiters, and platform threads, wait as a plain {@link CompletableFuture}'s do.
 *
 * <p>Thread-safe.
 *
 * @param <T> the result type
 */
public class HandOffFuture<T extends @Nullable Object> extends CompletableFuture<T> {

  private static final Object CLOSED = new Object();

  /** Empty, the waiting virtual thread, the completion handed to it, or {@link #CLOSED}. */
  private final AtomicReference<@Nullable Object> waiter = new AtomicReference<>();

  /**
   * Runs {@code completion}, which completes this future, on the virtual thread waiting for it when
   * one is, otherwise on {@code fallback} (or here, when {@code fallback} rejects it). Never blocks.
   */
  public final void settle(Runnable completion, Executor fallback) {
    Object current = waiter.get();
    if (current instanceof Thread thread && waiter.compareAndSet(thread, completion)) {
      LockSupport.unpark(thread);
      return;
    }
    try {
      fallback.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run(); // no thread for the hand-off: settle here rather than never
    }
  }

  @Override
  public T join() {
    awaitHandOff();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    awaitHandOff();
    return super.get();
  }

  /**
   * On a virtual thread, while this future is not done: waits to be handed its completion and runs
   * it. Returns once the future is done, or when the thread is interrupted or another thread waits
   * already (the caller then waits the plain way).
   */
  private void awaitHandOff() {
    Thread current = Thread.currentThread();
    if (isDone() || !current.isVirtual() || !waiter.compareAndSet(null, current)) {
      return;
    }
    // Completed by another route (a cancel, a deadline, a completion that found no waiter): wake up.
    whenComplete((value, failure) -> LockSupport.unpark(current));
    while (!isDone() && !current.isInterrupted() && waiter.get() == current) {
      LockSupport.park(this);
    }
    Object handed = waiter.getAndSet(CLOSED);
    if (handed instanceof Runnable completion) {
      completion.run();
    }
  }
}
