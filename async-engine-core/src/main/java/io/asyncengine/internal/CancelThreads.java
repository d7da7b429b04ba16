package io.asyncengine.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads that deliver cancels (a statement cancel repeated until the operation returns,
 * a {@code KILL} of an abandoned server session), shared by every engine in the JVM.
 *
 * <p>Why platform threads and not virtual ones: a virtual thread is never preempted, and a
 * thread reading a MariaDB stream decodes rows as long as the socket has data, without parking
 * (the server pushes rows without waiting for the client). Two such readers are enough to hold
 * every carrier of a 2-core machine; a cancel on a virtual thread then waited for a free carrier
 * for up to 27 s when 1,000 running statements were cancelled at once, while the statements it was
 * meant to stop kept running.
 * Cancels are few and short (at most one per running operation), so a cached pool costs little:
 * idle threads end after 10 s.
 *
 * <p>Thread-safe; {@link #execute} never blocks.
 */
public final class CancelThreads {

  private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
      new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("async-engine-cancel-", 0).factory());

  private CancelThreads() {}

  /**
   * Runs {@code task} on a cancel thread, at once. A failure thrown by {@code task} is its own
   * business (it ends that run only).
   *
   * @throws RejectedExecutionException only when the JVM cannot start a thread
   */
  public static void execute(Runnable task) {
    POOL.execute(task);
  }
}
