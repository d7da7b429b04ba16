package io.asyncengine.concurrent;

import io.asyncengine.concurrent.internal.Scopes.Scope;
import io.asyncengine.concurrent.internal.Scopes;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.internal.Futures;
import io.asyncengine.internal.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Structured concurrency (anyio's task group): tasks forked into a group run on virtual threads of
 * their own; the first failure cancels every sibling, and every engine operation a task started is
 * cancelled with it, its statement included (the engine links the futures it returns inside a task
 * to that task). {@link #join()} waits for every task and rethrows the first failure with the
 * others as suppressed; {@link #close()} waits for every task too, so no task outlives its group.
 *
 * <pre>{@code
 * try (TaskGroup group = engine.taskGroup().withDeadline(Duration.ofSeconds(2))) {
 *   var users = group.fork(() -> engine.runSync(c -> c.execute("select * from users")).join());
 *   var orders = group.fork(() -> engine.runSync(c -> c.execute("select * from orders")).join());
 *   group.join();
 *   return combine(users.join(), orders.join());
 * }
 * }</pre>
 *
 * <p>A group opened inside a task of another group is cancelled with that task (nested cancel
 * scopes). Thread-safe: {@link #fork} may be called from any thread, tasks included; {@link #join()}
 * and {@link #close()} block the calling thread (cheap on a virtual thread).
 */
public final class TaskGroup implements AutoCloseable {

  private static final ThreadFactory TASK_THREADS = Thread.ofVirtual().name("async-engine-task-", 0).factory();

  private final ThreadFactory threads;
  private final ContextPropagator context;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allDone = lock.newCondition();
  private final List<Task<?>> tasks = new ArrayList<>(); // guarded by lock
  private final List<Throwable> failures = new ArrayList<>(); // guarded by lock
  private final List<CompletableFuture<Void>> closeListeners = new ArrayList<>(1); // guarded by lock
  private int running; // guarded by lock
  private boolean cancelled; // guarded by lock
  private boolean closed; // guarded by lock
  private boolean reported; // guarded by lock
  private @Nullable ScheduledFuture<?> deadline; // guarded by lock

  private TaskGroup(ThreadFactory threads, ContextPropagator context) {
    this.threads = threads;
    this.context = context;
  }

  /**
   * Opens a group whose tasks run on new virtual threads. Opened inside a task of another group, it
   * is cancelled when that task is. Never blocks.
   */
  public static TaskGroup open() {
    return open(ContextPropagator.NONE);
  }

  /**
   * {@link #open()}, with each task run in the context {@code context} captures on the thread that
   * forks it (an engine's {@code taskGroup()} passes the engine's propagator). Never blocks.
   *
   * @throws NullPointerException when {@code context} is null
   */
  public static TaskGroup open(ContextPropagator context) {
    TaskGroup group = new TaskGroup(TASK_THREADS, Objects.requireNonNull(context, "context must not be null"));
    Scope enclosing = Scopes.current();
    if (enclosing != null) {
      CompletableFuture<Void> until = new CompletableFuture<>();
      enclosing.onCancel(() -> group.cancel(new CancellationException("The enclosing task was cancelled")), until);
      group.whenClosed(until);
    }
    return group;
  }

  /**
   * Sets a deadline {@code timeout} from now (anyio's {@code fail_after}): when it passes with tasks
   * still running, they are all cancelled (their statements on the server included) and
   * {@link #join()} throws {@link StatementTimeoutException}. Call it once, before or after forking.
   *
   * @return this group
   * @throws IllegalArgumentException when {@code timeout} is not positive
   * @throws IllegalStateException when a deadline is already set
   * @throws NullPointerException when {@code timeout} is null
   */
  public TaskGroup withDeadline(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    lock.lock();
    try {
      if (deadline != null) {
        throw new IllegalStateException("This task group already has a deadline");
      }
      deadline = Timers.after(timeout, () -> cancel(new StatementTimeoutException(
          "The task group's deadline of " + timeout.toMillis() + " ms passed; its tasks were cancelled")));
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Starts {@code task} on a new virtual thread of this group. The returned future completes with
   * the task's value or failure; cancelling it cancels the task (its thread is interrupted and the
   * engine operations it started are cancelled) without failing the group. A task failure other
   * than a cancellation cancels every sibling. Never blocks.
   *
   * @throws IllegalStateException when the group is closed
   * @throws CancellationException when the group was already cancelled (a failure or deadline)
   * @throws NullPointerException when {@code task} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> fork(Callable<T> task) {
    Objects.requireNonNull(task, "task must not be null");
    Task<T> forked = new Task<>(task);
    Runnable start = context == ContextPropagator.NONE ? forked : context.propagate(forked);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("This task group is closed");
      }
      if (cancelled) {
        throw new CancellationException("This task group was cancelled: " + failures.get(0));
      }
      tasks.add(forked);
      running++;
    } finally {
      lock.unlock();
    }
    try {
      threads.newThread(start).start();
    } catch (RuntimeException | Error e) {
      forked.finished(e);
      throw e;
    }
    return forked;
  }

  /**
   * Waits for every task, then rethrows the first failure (a {@link StatementTimeoutException} when
   * the deadline passed) with the other failures added as suppressed. Cancellations caused by the
   * group itself are not failures. Blocks the calling thread; call it from a task of this group
   * and it waits for itself forever.
   *
   * @throws RuntimeException the first failure, unwrapped when it is unchecked; a checked one comes
   *     wrapped in {@link CompletionException}
   * @throws CancellationException when the calling thread is interrupted while waiting (the group
   *     is cancelled first)
   */
  public void join() {
    awaitAll();
    Throwable first;
    lock.lock();
    try {
      cancelDeadline();
      if (failures.isEmpty()) {
        return;
      }
      reported = true;
      first = failures.get(0);
      for (Throwable other : failures.subList(1, failures.size())) {
        if (other != first && !List.of(first.getSuppressed()).contains(other)) {
          first.addSuppressed(other);
        }
      }
    } finally {
      lock.unlock();
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (first instanceof Error error) {
      throw error;
    }
    throw new CompletionException(first);
  }

  /**
   * Cancels every task still running, as a failure would: their futures complete with
   * {@link CancellationException}, their threads are interrupted, their engine operations are
   * cancelled. {@link #join()} then throws a {@link CancellationException}. Never blocks.
   */
  public void cancel() {
    cancel(new CancellationException("The task group was cancelled"));
  }

  /**
   * Waits for every task (anyio's leaving the {@code async with} block), then closes the group to
   * new forks. If a task failed and {@link #join()} has not reported it, throws it as {@code join}
   * does. Blocks the calling thread.
   */
  @Override
  public void close() {
    awaitAll();
    lock.lock();
    boolean report;
    try {
      closed = true;
      cancelDeadline();
      report = !reported && !failures.isEmpty();
      allDone.signalAll();
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<Void> listener : closeListeners()) {
      listener.complete(null);
    }
    if (report) {
      join();
    }
  }

  /** Whether the group was cancelled: a task failed, the deadline passed, or {@link #cancel()}. */
  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  private void whenClosed(CompletableFuture<Void> listener) {
    lock.lock();
    try {
      closeListeners.add(listener);
    } finally {
      lock.unlock();
    }
  }

  private List<CompletableFuture<Void>> closeListeners() {
    lock.lock();
    try {
      return List.copyOf(closeListeners);
    } finally {
      lock.unlock();
    }
  }

  private void awaitAll() {
    lock.lock();
    try {
      while (running > 0) {
        try {
          allDone.await();
        } catch (InterruptedException e) {
          // The waiter itself is being cancelled (it may be a task of an enclosing group): cancel
          // this group too, then keep waiting, so that no task outlives it.
          lock.unlock();
          try {
            cancel(new CancellationException("The thread waiting for the task group was interrupted"));
          } finally {
            lock.lock();
          }
          Thread.currentThread().interrupt();
          awaitUninterruptibly();
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitUninterruptibly() {
    while (running > 0) {
      allDone.awaitUninterruptibly();
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  /** The group-wide cancel: records {@code cause} as the first failure, then stops every task. */
  private void cancel(Throwable cause) {
    List<Task<?>> toCancel;
    lock.lock();
    try {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (!(cause instanceof CancellationException) || failures.isEmpty()) {
        failures.add(0, cause);
      }
      toCancel = List.copyOf(tasks);
    } finally {
      lock.unlock();
    }
    for (Task<?> task : toCancel) {
      task.stop();
    }
  }

  private void failed(Throwable failure) {
    lock.lock();
    try {
      if (cancelled) {
        // A task that fails while the group is being cancelled for another reason: keep it.
        if (!(failure instanceof CancellationException) && !failures.contains(failure)) {
          failures.add(failure);
        }
        return;
      }
    } finally {
      lock.unlock();
    }
    cancel(failure); // the first failure: it cancels the group
  }

  /** One forked task: its future, its thread, its cancel scope. */
  private final class Task<T extends @Nullable Object> extends CompletableFuture<T> implements Runnable {
    private final Callable<T> body;
    private final Scope scope = new Scope();
    private final ReentrantLock taskLock = new ReentrantLock();
    private @Nullable Thread thread; // guarded by taskLock; set while the body runs

    Task(Callable<T> body) {
      this.body = body;
    }

    @Override
    public void run() {
      taskLock.lock();
      try {
        if (isDone()) {
          finished(null);
          return;
        }
        thread = Thread.currentThread();
      } finally {
        taskLock.unlock();
      }
      Scope previous = Scopes.enter(scope);
      Throwable failure = null;
      try {
        T value = body.call();
        complete(value);
      } catch (Throwable e) {
        failure = Futures.unwrap(e);
        completeExceptionally(failure);
      } finally {
        Scopes.exit(previous);
        taskLock.lock();
        try {
          thread = null;
          Thread.interrupted(); // a late cancel must not leak into the pooled carrier's next use
        } finally {
          taskLock.unlock();
        }
        finished(failure == null || consequenceOfCancel(failure) ? null : failure);
      }
    }

    /**
     * A failure that only reports this task's own cancellation (a cancelled future, an interrupted
     * wait, a statement cancelled on the server) is not a failure of its own.
     */
    private boolean consequenceOfCancel(Throwable failure) {
      if (failure instanceof CancellationException) {
        return true;
      }
      return scope.isCancelled()
          && (failure instanceof InterruptedException || failure instanceof StatementTimeoutException);
    }

    /** Counts this task out; reports {@code failure} (null for success or a cancel) to the group. */
    void finished(@Nullable Throwable failure) {
      if (failure != null) {
        failed(failure);
      }
      lock.lock();
      try {
        running--;
        if (running == 0) {
          allDone.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      stop();
      return cancelled;
    }

    /** Cancels the future (if not done), the engine operations of the task and its blocking waits. */
    void stop() {
      super.cancel(true);
      scope.cancel();
      taskLock.lock();
      try {
        if (thread != null) {
          thread.interrupt();
        }
      } finally {
        taskLock.unlock();
      }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
