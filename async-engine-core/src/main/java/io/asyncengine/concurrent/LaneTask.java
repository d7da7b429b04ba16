package io.asyncengine.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lane task that is its own future. Cancelling completes it at once; if the body is running, the
 * stop hook (a statement cancel) runs on the cancelling thread so the lane is freed soon after.
 */
final class LaneTask<T> extends CompletableFuture<T> implements Runnable {

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int FINISHED = 2;

  private final Callable<T> body;
  private final Runnable stopHook;
  private final AtomicInteger state = new AtomicInteger(QUEUED);

  LaneTask(Callable<T> body, Runnable stopHook) {
    this.body = body;
    this.stopHook = stopHook;
  }

  @Override
  public void run() {
    if (isDone() || !state.compareAndSet(QUEUED, RUNNING)) {
      return; // cancelled while queued: never touch the connection
    }
    try {
      complete(body.call());
    } catch (Throwable failure) {
      completeExceptionally(failure);
    } finally {
      state.set(FINISHED);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && stopHook != null && state.get() == RUNNING) {
      stopHook.run();
    }
    return cancelled;
  }

  // Dependent stages are plain futures: cancelling one of them must not cancel this task's work.
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
