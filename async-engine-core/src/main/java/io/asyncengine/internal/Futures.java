package io.asyncengine.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small operations on futures that the facade and the task groups share. Any thread; never blocks. */
public final class Futures {

  private Futures() {}

  /**
   * The failure a caller should see: {@code failure} without its {@link CompletionException} and
   * {@link ExecutionException} wrappers.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * When {@code outer} fails or is cancelled, {@code inner} is cancelled (a no-op once
   * {@code inner} is done): {@link CompletableFuture} does not pass a cancel upstream by itself.
   */
  public static void cancelWith(CompletableFuture<?> outer, CompletableFuture<?> inner) {
    outer.whenComplete((value, failure) -> {
      if (failure != null) {
        inner.cancel(true);
      }
    });
  }
}
