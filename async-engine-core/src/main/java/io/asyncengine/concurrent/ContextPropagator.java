package io.asyncengine.concurrent;

import io.asyncengine.concurrent.internal.MdcPropagator;
import java.util.List;
import java.util.Objects;

/**
 * Carries a caller's thread-bound context (the SLF4J MDC, a tracing span, a security context) to
 * the threads where the engine works for that caller: the connection's lane, the thread that
 * completes the caller's future (so continuations see it too), a {@link TaskGroup} task.
 *
 * <p>It has the shape of Spring's {@code TaskDecorator} and of Micrometer's
 * {@code ContextSnapshot.wrap(Runnable)}, so either adapts to it in one line. The engine calls
 * {@link #propagate} on the thread that hands it work, and runs the returned task on another thread;
 * the returned task must restore that thread's own context when it ends, so nothing leaks from one
 * operation into the next on a reused thread.
 *
 * <p>With {@link #NONE} (the default) the engine wraps nothing and allocates nothing for it.
 */
@FunctionalInterface
public interface ContextPropagator {

  /** Propagates nothing: {@code task} runs as it is. */
  ContextPropagator NONE = task -> task;

  /**
   * Captures the calling thread's context and returns a task that runs {@code task} with it.
   * Called on the thread that submits work (an application thread, or an engine thread running an
   * earlier task with the same context in place). Must not block and should not throw: an
   * exception fails the operation being submitted.
   */
  Runnable propagate(Runnable task);

  /**
   * Carries the SLF4J MDC (a request id, a user name) of the submitting thread, so the engine's log
   * lines (statement echo included) and code run inside operations and continuations see it. The
   * task gets a copy of the submitter's map; the running thread's own map is restored afterwards.
   */
  static ContextPropagator mdc() {
    return MdcPropagator.INSTANCE;
  }

  /**
   * One propagator that applies {@code propagators} in order (the first one's context is the
   * outermost), or {@link #NONE} for an empty list.
   *
   * @throws NullPointerException when the list or an element is null
   */
  static ContextPropagator of(List<? extends ContextPropagator> propagators) {
    List<ContextPropagator> all = List.copyOf(Objects.requireNonNull(propagators, "propagators must not be null"));
    if (all.isEmpty()) {
      return NONE;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    return task -> {
      Runnable wrapped = task;
      for (int i = all.size() - 1; i >= 0; i--) {
        wrapped = all.get(i).propagate(wrapped);
      }
      return wrapped;
    };
  }
}
