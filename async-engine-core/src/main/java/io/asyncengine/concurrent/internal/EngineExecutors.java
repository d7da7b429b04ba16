package io.asyncengine.concurrent.internal;

import io.asyncengine.concurrent.ExecutorMode;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Creates the executor an engine runs its lanes on, for an {@link ExecutorMode}.
 */
public final class EngineExecutors {

  private static final ThreadFactory CONTINUATION_THREADS = Thread.ofVirtual().name("async-engine-continuation").factory();
  private static final Executor CONTINUATIONS = new ContinuationThreads(CONTINUATION_THREADS);

  private EngineExecutors() {}

  /**
   * The executor for {@code mode}: a virtual thread per task, or a fixed pool of
   * {@code platformThreads} daemon platform threads ({@link ExecutorMode#AUTO} is the latter).
   *
   * @throws IllegalArgumentException when a platform pool is asked for with fewer than one thread
   */
  public static ExecutorService create(ExecutorMode mode, int platformThreads) {
    ExecutorMode resolved = resolve(mode);
    if (resolved == ExecutorMode.VIRTUAL) {
      return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("async-engine-", 0).factory());
    }
    if (platformThreads < 1) {
      throw new IllegalArgumentException("A platform executor needs at least one thread, was " + platformThreads);
    }
    return Executors.newFixedThreadPool(platformThreads,
        Thread.ofPlatform().daemon().name("async-engine-platform-", 0).factory());
  }

  /**
   * Where futures of a platform executor complete when continuations must not run on its threads:
   * a virtual thread per completion, or the one that has just run a completion and waits briefly
   * for the next ({@link ContinuationThreads}). Never shut down; a virtual thread holds nothing once done.
   */
  public static Executor continuations() {
    return CONTINUATIONS;
  }

  /**
   * What {@code mode} means: never {@link ExecutorMode#AUTO}, which is {@link ExecutorMode#PLATFORM}
   * for every driver (the reasons are in {@link ExecutorMode#AUTO}).
   */
  public static ExecutorMode resolve(ExecutorMode mode) {
    return mode == ExecutorMode.AUTO ? ExecutorMode.PLATFORM : mode;
  }
}
