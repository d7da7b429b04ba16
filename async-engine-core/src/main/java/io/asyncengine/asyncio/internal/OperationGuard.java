package io.asyncengine.asyncio.internal;

import io.asyncengine.error.ConcurrentSessionUseException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Detects overlapping operations on one async session: each operation enters
 * with its name and exits when its work has really finished; an operation entering while another
 * is inside fails at once instead of queueing, naming both.
 *
 * <p>Thread: any; lock-free.
 */
public final class OperationGuard {

  private final AtomicReference<@Nullable String> current = new AtomicReference<>();

  /**
   * Marks {@code operation} as in progress.
   *
   * @throws ConcurrentSessionUseException when another operation is in progress
   */
  public void enter(String operation) {
    String previous = current.compareAndExchange(null, operation);
    if (previous != null) {
      throw new ConcurrentSessionUseException("AsyncSession." + operation
          + "() was called while AsyncSession." + previous + "() is still in progress on the same"
          + " session. A session is not for concurrent use: complete each operation before starting"
          + " the next, or give each concurrent task its own session");
    }
  }

  /** Marks the operation in progress as finished. */
  public void exit() {
    current.set(null);
  }

  /** The operation in progress, or null. */
  public @Nullable String current() {
    return current.get();
  }
}
