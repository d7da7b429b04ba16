package io.asyncengine.testing;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for futures in tests with a bound, so a bug shows as a failure rather than a hang. */
public final class Await {

  private Await() {}

  /** The value of {@code stage}, waiting at most 30 s; failures are rethrown unwrapped. */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new AssertionError(cause);
    } catch (TimeoutException e) {
      throw new AssertionError("Timed out after 30 s waiting for " + stage, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The failure of {@code stage}, unwrapped; fails the test when it succeeds. */
  public static Throwable failure(CompletionStage<?> stage) {
    Object value;
    try {
      value = await(stage);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("Expected a failure but got " + value);
  }
}
