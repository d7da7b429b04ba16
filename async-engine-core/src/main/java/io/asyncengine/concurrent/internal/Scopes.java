package io.asyncengine.concurrent.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Cancel scopes (anyio's): the scope of the task-group task running on the current thread, if
 * any. Every future the engine returns to code running inside a task is linked to that task's
 * scope, so cancelling the task (a sibling's failure, a deadline) cancels the future, and through
 * it the statement running on the server.
 */
public final class Scopes {

  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private Scopes() {}

  /** The scope of the current thread's task, or null outside a task. */
  public static @Nullable Scope current() {
    return CURRENT.get();
  }

  /** Makes {@code scope} the current thread's scope; returns the previous one to restore. */
  public static @Nullable Scope enter(Scope scope) {
    Scope previous = CURRENT.get();
    CURRENT.set(scope);
    return previous;
  }

  /** Restores {@code previous} (from {@link #enter}). */
  public static void exit(@Nullable Scope previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** Links {@code future} to the current scope, if any; returns {@code future}. */
  public static <F extends CompletableFuture<?>> F link(F future) {
    Scope scope = CURRENT.get();
    if (scope != null) {
      scope.onCancel(() -> future.cancel(true), future);
    }
    return future;
  }

  /**
   * A set of cancel actions fired once, when the scope is cancelled. Thread-safe; actions run on
   * the cancelling thread and must not block.
   */
  public static final class Scope {
    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /**
     * Runs {@code action} when this scope is cancelled (at once if it already is); forgets it when
     * {@code until} completes.
     */
    public void onCancel(Runnable action, CompletableFuture<?> until) {
      actions.add(action);
      if (cancelled) {
        fire(action);
      }
      until.whenComplete((value, failure) -> actions.remove(action));
    }

    /** Runs every registered action once. Idempotent. */
    public void cancel() {
      cancelled = true;
      for (Runnable action : actions) {
        fire(action);
      }
    }

    /** Whether {@link #cancel()} has been called. */
    public boolean isCancelled() {
      return cancelled;
    }

    private void fire(Runnable action) {
      if (actions.remove(action)) {
        action.run();
      }
    }
  }
}
