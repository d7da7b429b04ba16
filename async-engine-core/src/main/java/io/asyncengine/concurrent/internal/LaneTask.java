package io.asyncengine.concurrent.internal;

import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.internal.CancelThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A lane task that is its own future. Cancelling (or {@link #abort aborting}) completes it at once;
 * if the body is running, the stop hook (a statement cancel) is run on a separate platform thread
 * ({@link CancelThreads}) so the canceller never waits for the database and the cancel never waits
 * for a carrier, and the recovery hook (a rollback) runs on the lane
 * right after the body returns, before the next task.
 *
 * <p>The stop hook runs under {@link #lock} and only while the state is {@link #RUNNING}; the body's
 * end takes the same lock, so a late stop can never hit the statement of the next task on the lane.
 *
 * <p>With a {@code completions} executor the outcome is handed to it, so the future's continuations
 * run there (a virtual thread) and never on the lane's platform thread; or to the virtual thread
 * blocked in this future's {@code join()} ({@link HandOffFuture}). Once the body has returned,
 * a cancel or abort is refused: the work is done and its outcome is on its way.
 *
 * <p>A {@link ContextPropagator} other than {@code NONE} captures the submitting thread's context
 * when the task is made; the body and the completion (and so continuations run inline) run with it.
 */
final class LaneTask<T extends @Nullable Object> extends HandOffFuture<T> implements Runnable {

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int FINISHED = 2;

  private final Callable<T> body;
  private final @Nullable Runnable stopHook;
  private final @Nullable Runnable recovery;
  private final @Nullable Runnable finish;
  private final @Nullable Executor completions;
  /** The body and the inline completion, in the submitter's context; {@code null} without propagation. */
  private final @Nullable Runnable inContext;
  /** The hand-over's completion, in the submitter's context; {@code null} without propagation or hand-over. */
  private final @Nullable Runnable settleInContext;
  private @Nullable T value; // written by the body's thread before the completion is handed over
  private @Nullable Throwable failure;
  private final ReentrantLock lock = new ReentrantLock();
  private int state = QUEUED; // guarded by lock
  private volatile boolean stopRequested;
  /** The body has returned; with {@link #completions}, its outcome is being handed over. */
  private volatile boolean bodyReturned;

  LaneTask(Callable<T> body, @Nullable Runnable stopHook, @Nullable Runnable recovery, @Nullable Runnable finish,
      @Nullable Executor completions, ContextPropagator context) {
    this.body = body;
    this.stopHook = stopHook;
    this.recovery = recovery;
    this.finish = finish;
    this.completions = completions;
    if (context == ContextPropagator.NONE) {
      this.inContext = null;
      this.settleInContext = null;
    } else {
      this.inContext = context.propagate(this::callBody);
      this.settleInContext = completions == null ? null : context.propagate(this::settle);
    }
  }

  @Override
  public void run() {
    lock.lock();
    try {
      if (isDone() || state != QUEUED) {
        return; // cancelled while queued: never touch the connection
      }
      state = RUNNING;
    } finally {
      lock.unlock();
    }
    try {
      if (inContext != null) {
        inContext.run();
      } else {
        callBody();
      }
    } catch (Throwable thrown) { // the propagator's own failure
      if (!bodyReturned) {
        failure = thrown;
        bodyReturned = true;
        if (completions == null) {
          settle();
        }
      }
    } finally {
      lock.lock();
      try {
        state = FINISHED;
        if (finish != null) {
          finish.run(); // under the lock: no stop hook of this task can run after it
        }
      } finally {
        lock.unlock();
      }
    }
    if (completions != null) {
      handOver();
    }
    if (stopRequested && recovery != null) {
      recovery.run();
    }
  }

  /** Runs the body and, without a hand-over, completes this future before the stop window closes. */
  private void callBody() {
    try {
      value = body.call();
    } catch (Throwable thrown) {
      failure = thrown;
    }
    bodyReturned = true;
    if (completions == null) {
      settle();
    }
  }

  private void handOver() {
    settle(settleInContext != null ? settleInContext : this::settle, completions);
  }

  private void settle() {
    Throwable thrown = failure;
    if (thrown == null) {
      super.complete(value);
    } else {
      super.completeExceptionally(thrown);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (bodyReturned && completions != null) {
      return false; // done; the outcome is on its way to the completions executor
    }
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      stop();
    }
    return cancelled;
  }

  /**
   * Completes this task with {@code cause} (a deadline, a disposal) and stops its body as a cancel
   * does. Returns whether this call completed the task.
   */
  boolean abort(Throwable cause) {
    if (bodyReturned && completions != null) {
      return false;
    }
    boolean aborted = completeExceptionally(cause);
    if (aborted) {
      stop();
    }
    return aborted;
  }

  private void stop() {
    lock.lock();
    try {
      if (state != RUNNING) {
        return;
      }
      stopRequested = true;
    } finally {
      lock.unlock();
    }
    if (stopHook != null) {
      // A cancel request is network I/O (PostgreSQL opens a socket): keep it off the caller's thread.
      // On a platform thread: virtual threads reading MariaDB streams can hold every carrier for
      // seconds (they are never preempted), and the cancel must get through exactly then.
      CancelThreads.execute(this::stopUntilFinished);
    }
  }

  /**
   * Runs the stop hook, and runs it again with a growing pause while the body still runs: drivers
   * ignore a cancel that lands just before the statement is marked executing (pgjdbc's statement
   * state, Connector/J's) or between two fetches, and only repetition makes the cancel stick.
   */
  private void stopUntilFinished() {
    long pauseMillis = 10;
    while (true) {
      lock.lock();
      try {
        if (state != RUNNING) {
          return;
        }
        stopHook.run();
      } finally {
        lock.unlock();
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        return;
      }
      pauseMillis = Math.min(pauseMillis * 2, 250);
    }
  }

  // Dependent stages are plain futures: cancelling one of them must not cancel this task's work.
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
