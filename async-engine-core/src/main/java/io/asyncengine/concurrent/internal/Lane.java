package io.asyncengine.concurrent.internal;

import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.error.ResourceClosedException;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks one after another, in submission order, on a shared executor: the execution lane of
 * one {@code AsyncConnection}. While the lane has work, one executor thread (a platform thread by
 * default) drains it; when the queue is empty the thread is released, so an idle connection holds
 * no thread.
 *
 * <p>Invariant: at most one drainer runs at a time ({@link #scheduled} is true from the moment a
 * drainer is submitted until it has seen an empty queue), which is what makes the lane serial and
 * lets tasks use a JDBC connection without locks.
 *
 * <p>{@link #submit} may be called from any thread and never blocks.
 */
public final class Lane implements Executor {

  private final Executor executor;
  private final @Nullable Executor completions;
  private final ContextPropagator context;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drainer = this::drain;

  /** A lane whose tasks run on {@code executor} and whose futures complete there. */
  public Lane(Executor executor) {
    this(executor, null, ContextPropagator.NONE);
  }

  /**
   * A lane whose tasks run on {@code executor}; their futures complete on {@code completions}
   * (so continuations run there, not on the lane's thread), or on the lane's thread when it is
   * {@code null}. Each task runs, and its future completes, in the context {@code context} captures
   * on the submitting thread.
   */
  public Lane(Executor executor, @Nullable Executor completions, ContextPropagator context) {
    this.executor = executor;
    this.completions = completions;
    this.context = context;
  }

  /**
   * Queues {@code task}; it runs after every task submitted before it.
   *
   * <p>Cancelling the returned future completes it at once with a {@code CancellationException}.
   * A task cancelled while queued never runs; one cancelled while running gets
   * {@code onCancelWhileRunning} called (from the cancelling thread) to stop its work, such as a
   * {@code Statement.cancel()}.
   *
   * @param onCancelWhileRunning called when the task is cancelled while running; may be null
   * @return a future completed with the task's result or failure, on the lane's thread or on
   *     the lane's completions executor
   */
  public <T extends @Nullable Object> CompletableFuture<T> submit(Callable<T> task,
      @Nullable Runnable onCancelWhileRunning) {
    return submit(task, onCancelWhileRunning, null, null);
  }

  /**
   * Like {@link #submit(Callable, Runnable)}; in addition, when the task is cancelled or aborted
   * while running, {@code recovery} runs on the lane right after the task's body returns and before
   * the next task (a rollback, say). {@code onCancelWhileRunning} runs on a separate platform thread,
   * never on the canceller's, and never after the body has returned.
   *
   * @param recovery run on the lane after a body that was stopped; may be null
   * @param finish run on the lane when the body has returned, at a point after which
   *     {@code onCancelWhileRunning} can no longer run for this task; may be null
   */
  public <T extends @Nullable Object> CompletableFuture<T> submit(Callable<T> task,
      @Nullable Runnable onCancelWhileRunning, @Nullable Runnable recovery, @Nullable Runnable finish) {
    return submit(task, onCancelWhileRunning, recovery, finish, false);
  }

  /**
   * Like {@link #submit(Callable, Runnable, Runnable, Runnable)}; with {@code completeOnLane} the
   * future completes on the lane's thread even when the lane hands completions off, so its
   * dependents run there, before the lane's next task. For the engine's own continuations only:
   * they must never block, and they must hand any future a caller holds to where futures complete.
   */
  public <T extends @Nullable Object> CompletableFuture<T> submit(Callable<T> task,
      @Nullable Runnable onCancelWhileRunning, @Nullable Runnable recovery, @Nullable Runnable finish,
      boolean completeOnLane) {
    LaneTask<T> laneTask = new LaneTask<>(task, onCancelWhileRunning, recovery, finish,
        completeOnLane ? null : completions, context);
    try {
      execute(laneTask);
    } catch (RejectedExecutionException e) {
      // rejectAll() has failed the task with ResourceClosedException: the future reports it.
    }
    return laneTask;
  }

  /**
   * Completes {@code future} with {@code cause} and, when it is a task of a lane that is running,
   * stops it as {@code cancel} does. For other futures it is {@code completeExceptionally}.
   *
   * @return whether this call completed the future
   */
  public static boolean abort(CompletableFuture<?> future, Throwable cause) {
    return future instanceof LaneTask<?> task ? task.abort(cause) : future.completeExceptionally(cause);
  }

  /**
   * Queues {@code command} to run after every task submitted before it. Failures thrown by
   * {@code command} are its own business: they are dropped so the lane keeps running.
   *
   * @throws RejectedExecutionException when the engine's executor is shut down and this call had to
   *     start the lane's thread; every queued lane task has then been failed with
   *     {@link ResourceClosedException}, and {@code command} will not run
   */
  @Override
  public void execute(Runnable command) {
    queue.add(command);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      ChainSpin.laneBusy();
      try {
        executor.execute(drainer);
      } catch (RejectedExecutionException e) {
        rejectAll();
        throw e;
      }
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      while ((next = queue.poll()) != null) {
        try {
          next.run();
        } catch (RuntimeException | Error failure) {
          // A LaneTask reports through its future; plain commands own their failures.
        }
      }
      if (completions != null && awaitChainStep()) {
        continue;
      }
      scheduled.set(false);
      ChainSpin.laneIdle();
      // A task added between the last poll and the reset above must not be stranded.
      if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
        return;
      }
      ChainSpin.laneBusy();
    }
  }

  /**
   * With completions handed to other threads, the lane's last outcome may be on its way to a
   * continuation that submits the chain's next step: waits actively for it (within
   * {@link ChainSpin}'s budget) so it runs on this thread, without a hand-off to a new one.
   * Returns whether a task came.
   */
  private boolean awaitChainStep() {
    if (!ChainSpin.enter()) {
      return false;
    }
    try {
      long deadline = System.nanoTime() + ChainSpin.NANOS;
      while (queue.isEmpty()) {
        if (System.nanoTime() - deadline >= 0 || !ChainSpin.worthIt()) {
          ChainSpin.missed();
          return false;
        }
        Thread.onSpinWait();
      }
      ChainSpin.caught();
      return true;
    } finally {
      ChainSpin.exit();
    }
  }

  /** The executor is shut down: fail everything queued instead of stranding it. */
  private void rejectAll() {
    Runnable next;
    while ((next = queue.poll()) != null) {
      if (next instanceof LaneTask<?> task) {
        task.completeExceptionally(new ResourceClosedException("The engine has been disposed; the operation was not run"));
      }
    }
    if (scheduled.getAndSet(false)) {
      ChainSpin.laneIdle();
    }
  }
}
