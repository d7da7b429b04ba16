package io.asyncengine.spring;

import io.asyncengine.asyncio.AsyncEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Disposes every {@link AsyncEngine} bean when the context stops, after the web server has drained
 * its requests: the phase is below Boot's graceful-shutdown phase ({@code DEFAULT_PHASE - 1024})
 * and its web-server stop phase ({@code DEFAULT_PHASE - 2048}), so engines stop after both and start
 * before both. {@link #stop(Runnable)} does not block: the engines dispose on their own threads,
 * letting work in flight finish within {@code async-engine.shutdown.grace-period} and aborting the
 * rest, and the callback runs when all are done. Disposal is bounded by the grace period plus the
 * core's few seconds of clean-up, so shutdown does not hang.
 */
public final class AsyncEngineLifecycle implements SmartLifecycle {

  /** Below Boot's graceful-shutdown and web-server phases (the web-server module is not a dependency). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

  private final ObjectProvider<AsyncEngine> engines;
  private volatile boolean running;

  /** @param engines the engines to dispose; resolved when the context stops */
  public AsyncEngineLifecycle(ObjectProvider<AsyncEngine> engines) {
    this.engines = engines;
  }

  /** Marks the lifecycle running; the engines started when their beans were created. */
  @Override
  public void start() {
    running = true;
  }

  /** Disposes the engines and waits for them. Blocks the calling thread for up to the grace period and more. */
  @Override
  public void stop() {
    disposeAll().join();
  }

  /** Starts disposing the engines and returns; {@code callback} runs, on a disposal thread, once all are done. */
  @Override
  public void stop(Runnable callback) {
    disposeAll().whenComplete((done, failure) -> callback.run());
  }

  private CompletableFuture<Void> disposeAll() {
    running = false;
    List<CompletableFuture<Void>> disposals = engines.stream().map(AsyncEngine::dispose).toList();
    return CompletableFuture.allOf(disposals.toArray(CompletableFuture[]::new));
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
