package io.asyncengine.concurrent;

import io.asyncengine.dialect.Dialect;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the executor an engine runs its lanes on, for an {@link ExecutorMode}.
 */
public final class EngineExecutors {

  private EngineExecutors() {}

  /**
   * The executor for {@code mode}: a virtual thread per task, or a fixed pool of
   * {@code platformThreads} daemon platform threads. {@link ExecutorMode#AUTO} picks platform
   * threads for SQLite and virtual threads for every other driver (see {@link ExecutorMode#AUTO}).
   *
   * @throws IllegalArgumentException when a platform pool is asked for with fewer than one thread
   */
  public static ExecutorService create(ExecutorMode mode, Dialect dialect, int platformThreads) {
    ExecutorMode resolved = resolve(mode, dialect);
    if (resolved == ExecutorMode.VIRTUAL) {
      return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("async-engine-", 0).factory());
    }
    if (platformThreads < 1) {
      throw new IllegalArgumentException("A platform executor needs at least one thread, was " + platformThreads);
    }
    return Executors.newFixedThreadPool(platformThreads, new PlatformThreads());
  }

  /** What {@code mode} means for {@code dialect}: never {@link ExecutorMode#AUTO}. */
  public static ExecutorMode resolve(ExecutorMode mode, Dialect dialect) {
    if (mode != ExecutorMode.AUTO) {
      return mode;
    }
    // SQLite's native calls pin a carrier for as long as a statement runs: as many long SQLite
    // statements as there are carriers would freeze every virtual thread in the JVM (TaskGroupTest
    // caught it). Liveness first; docs/concurrency.md has the measurements and the trade-off.
    return dialect.name().equals("sqlite") ? ExecutorMode.PLATFORM : ExecutorMode.VIRTUAL;
  }

  private static final class PlatformThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "async-engine-platform-" + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    }
  }
}
