package io.asyncengine.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One connection's hold on its engine's {@link WriterQueue} permit: taken before the first statement
 * of a transaction that may write (one that only reads, by {@link ReadClassifier}, never takes it),
 * held until the transaction ends, given back exactly once.
 *
 * <p>Thread-safe: {@link #release()} may race between a close on the connection's thread and an
 * invalidation from another, and the permit must go back once.
 */
public final class WriterTurn {

  /** For engines without a writer queue: never waits, never holds anything. */
  public static final WriterTurn NONE = new WriterTurn(null, () -> false);

  private final @Nullable WriterQueue queue;
  private final BooleanSupplier cancelled;
  private final AtomicBoolean held = new AtomicBoolean();

  private WriterTurn(@Nullable WriterQueue queue, BooleanSupplier cancelled) {
    this.queue = queue;
    this.cancelled = cancelled;
  }

  /**
   * The turn of one connection in {@code queue}, or {@link #NONE} when {@code queue} is null;
   * {@code cancelled} ends a wait when it turns true.
   */
  public static WriterTurn in(@Nullable WriterQueue queue, BooleanSupplier cancelled) {
    return queue == null ? NONE : new WriterTurn(queue, cancelled);
  }

  /**
   * Waits, on the calling thread, for the permit unless this connection holds it already.
   *
   * @throws io.asyncengine.error.StatementTimeoutException when the operation is cancelled while waiting
   * @throws io.asyncengine.error.OperationalException when the permit does not come in time
   */
  public void await() {
    if (queue != null && !held.get()) {
      queue.acquire(cancelled);
      held.set(true);
    }
  }

  /** Gives the permit back if this connection holds it; otherwise does nothing. Any thread. */
  public void release() {
    if (held.compareAndSet(true, false)) {
      queue.release();
    }
  }
}
