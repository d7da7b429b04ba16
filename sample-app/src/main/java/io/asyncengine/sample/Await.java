package io.asyncengine.sample;

import io.asyncengine.spring.jdbc.EngineExceptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits for an engine future on the calling thread. Request handlers run on virtual threads
 * ({@code spring.threads.virtual.enabled}), so waiting costs no platform thread, and the handler
 * reads like blocking code while the engine's work stays asynchronous and cancellable.
 */
public final class Await {

  private Await() {}

  /**
   * The value of {@code future}, waiting for it. A failure is rethrown as its Spring equivalent
   * ({@link EngineExceptions#translate}: a {@code DataAccessException} for database and engine
   * errors), unwrapped from {@link CompletionException}.
   *
   * @throws RuntimeException the future's failure, translated
   */
  public static <T> T result(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      throw EngineExceptions.translate(e);
    }
  }
}
