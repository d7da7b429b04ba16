package io.asyncengine.asyncio;

/**
 * The scope of an {@link OperationObservation} on one thread: what it made current there is undone
 * by {@link #close()}, on the same thread, so nothing leaks into the next task the thread runs.
 */
@FunctionalInterface
public interface OperationScope extends AutoCloseable {

  /** A scope that made nothing current. */
  OperationScope NONE = () -> {};

  /** Restores what was current on this thread before the scope opened. Must not throw. */
  @Override
  void close();
}
