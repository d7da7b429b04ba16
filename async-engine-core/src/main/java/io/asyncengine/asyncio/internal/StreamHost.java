package io.asyncengine.asyncio.internal;

import io.asyncengine.core.SqlConnection;
import java.util.concurrent.CompletableFuture;

/**
 * What a stream needs from the async connection it runs on: the blocking connection, admission as
 * one operation of that connection, and the lane road every operation of the connection takes.
 * The connection implements it privately, so none of this is public API.
 */
public interface StreamHost {

  /** The blocking connection. Touch it only inside a {@link #step} or {@link #cleanup} body, on the lane. */
  SqlConnection connection();

  /**
   * Makes {@code operation} one operation of the connection, as the connection's own operations are
   * made: counted in flight (a doomed connection cancels it, at once when already doomed), tracked
   * for the engine's disposal (which aborts it with {@code ResourceClosedException}) and armed with
   * the view's deadline (which aborts it with {@code StatementTimeoutException}). Linking it to a
   * task-group scope is the caller's part, because only the caller knows the subscriber's thread.
   * Any thread; never blocks.
   */
  void admit(CompletableFuture<?> operation);

  /**
   * Queues {@code body} on the lane as one step of an admitted operation, with the hooks of every
   * operation: aborting or cancelling the returned future while the body runs cancels its statement
   * from a platform thread, again and again until the body returns, and then, on the lane before the
   * next task, rolls back the open transaction (evicting the connection when a cursor is still open).
   * A step aborted while queued never runs. Any thread; never blocks.
   *
   * @return completed on the lane when the body returns; failed with {@code ResourceClosedException},
   *     the body never run, when the engine's executor is shut down
   */
  CompletableFuture<Void> step(Runnable body);

  /**
   * Queues {@code body} on the lane with no stop hook: the clean-up after an operation ended, which
   * nothing cancels. Any thread; never blocks.
   *
   * @return completed on the lane when the body returns; failed, the body never run, when the
   *     engine's executor is shut down
   */
  CompletableFuture<Void> cleanup(Runnable body);

  /**
   * Restores a known state after an operation was cut off: rolls back the open transaction, or
   * evicts the connection when a cursor is still open (closing it cleanly could mean reading every
   * remaining row). On the lane only; never throws.
   */
  void recover();

  /**
   * {@code failure} of a step (opening, reading, mapping) as the subscriber should see it: the
   * engine's own exceptions through the engine's {@code ExceptionTranslator.translateEngineException},
   * anything else unchanged. Any thread; never throws.
   */
  Throwable translated(Throwable failure);
}
