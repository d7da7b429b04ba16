package io.asyncengine.asyncio;

import org.jspecify.annotations.Nullable;

/**
 * One operation being observed, as {@link OperationObserver#start} returned it. The engine opens
 * a scope of it around the operation's JDBC work and stops it once when the operation ends; see
 * {@link OperationObserver} for the threads. Implementations must tolerate {@link #stop} being
 * called while a scope is still open on another thread (a cancel completes the future before the
 * statement has stopped).
 */
public interface OperationObservation {

  /** Observes nothing: its scope does nothing and {@link #stop} is ignored. */
  OperationObservation NONE = new OperationObservation() {
    @Override
    public OperationScope openScope() {
      return OperationScope.NONE;
    }

    @Override
    public void stop(OperationOutcome outcome, @Nullable Throwable failure) {}
  };

  /**
   * Makes this operation the current one on the calling thread until the returned scope is closed,
   * on the same thread. Called on the engine thread that runs the operation's work.
   */
  OperationScope openScope();

  /**
   * The operation ended. Called once, on the thread that completed its future.
   *
   * @param outcome how it ended, as an {@code EngineListener} hears it
   * @param failure what it failed with ({@code CancellationException} for a cancel), or
   *     {@code null} on success
   */
  void stop(OperationOutcome outcome, @Nullable Throwable failure);
}
