package io.asyncengine.asyncio.internal;

import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.concurrent.internal.AdmissionGate;
import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.concurrent.internal.Scopes;
import io.asyncengine.core.Engine;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.error.PoolTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One {@code connect()}: a ticket in the admission gate, then a borrow from the pool on an engine
 * thread, completed with the async connection made over what was borrowed. Cancelling it (or
 * aborting it at disposal) while it waits withdraws the ticket without touching a connection; a
 * connection borrowed after a cancel goes straight back.
 *
 * <p>Its failures of the engine's own (the gate's {@code PoolTimeoutException}, the pool's
 * refusals) pass through the engine's {@code ExceptionTranslator.translateEngineException}; an
 * {@code EngineListener} hears the connect once, when its future completes, with its time in the
 * gate and in the pool; an {@code OperationObserver} observes it from {@code connect()} to that
 * completion, with a scope around the borrow from the pool.
 *
 * <p>Invariant: the gate permit taken at admission is given back exactly once: by the borrow when
 * it fails or comes too late, otherwise by the connection's {@link Release} when it is closed.
 *
 * @param <C> the async connection type
 */
public final class Acquisition<C> extends CompletableFuture<C> {

  /**
   * Makes the async connection over a borrowed one. Runs on the engine thread that borrowed, which
   * is the first thread of {@code lane}'s work when borrows run on the lanes.
   *
   * @param <C> the async connection type
   */
  @FunctionalInterface
  public interface ConnectionFactory<C> {
    /** The async connection over {@code connection}, running on {@code lane}; {@code release} gives its permit back. */
    C open(SqlConnection connection, Lane lane, Runnable release);
  }

  private final EngineRuntime runtime;
  private final Engine engine;
  private final ConnectionFactory<C> factory;
  private volatile AdmissionGate.@Nullable Ticket ticket;
  /** The clock of a connect an {@code EngineListener} hears; {@code null} when none is installed. */
  private final @Nullable Timing timing;
  /** Runs {@link #completion} in the caller's context; {@code null} when the engine propagates none. */
  private final @Nullable Runnable inCallerContext;
  private volatile @Nullable Runnable completion;
  /** Complete on the thread that borrowed (or timed out), not where the runtime settles futures. */
  private final boolean completeHere;

  private Acquisition(EngineRuntime runtime, Engine engine, ConnectionFactory<C> factory, boolean completeHere) {
    this.runtime = runtime;
    this.engine = engine;
    this.factory = factory;
    this.completeHere = completeHere;
    EngineEvents events = runtime.events();
    this.timing = events == null ? null : new Timing(events);
    ContextPropagator context = runtime.context();
    this.inCallerContext = context == ContextPropagator.NONE ? null : context.propagate(this::runCompletion);
  }

  /**
   * When a heard connect began and was admitted, and its observation (started on the caller's
   * thread); it reports itself when the connect completes.
   */
  private static final class Timing implements BiConsumer<@Nullable Object, @Nullable Throwable> {
    private static final long NOT_ADMITTED = Long.MIN_VALUE;
    private final EngineEvents events;
    private final long started = System.nanoTime();
    private final @Nullable OperationObservation observation;
    private volatile long admitted = NOT_ADMITTED;

    Timing(EngineEvents events) {
      this.events = events;
      this.observation = events.observeConnect();
    }

    OperationScope openScope() {
      OperationObservation watching = observation;
      return watching == null ? OperationScope.NONE : EngineEvents.open(watching);
    }

    @Override
    public void accept(@Nullable Object connection, @Nullable Throwable failure) {
      long end = System.nanoTime();
      long admittedAt = admitted;
      boolean pastGate = admittedAt != NOT_ADMITTED;
      OperationOutcome outcome = EngineEvents.outcome(failure);
      events.connectionAcquired((pastGate ? admittedAt : end) - started, pastGate ? end - admittedAt : 0, outcome);
      OperationObservation watching = observation;
      if (watching != null) {
        EngineEvents.stop(watching, outcome, failure);
      }
    }
  }

  /**
   * Starts a connect: tracks it for disposal, links it to the caller's task-group scope and queues
   * it in the gate. Waiting costs a queue entry, not a thread: the gate calls back when a slot is
   * ours. Never blocks.
   *
   * @param engine the (view of the) engine to borrow from
   * @return the future of the connection; it completes on an engine thread
   */
  public static <C> Acquisition<C> start(EngineRuntime runtime, Engine engine, ConnectionFactory<C> factory) {
    return start(runtime, engine, factory, false);
  }

  /**
   * {@link #start(EngineRuntime, Engine, ConnectionFactory)}; with {@code completeHere} the future
   * completes on the thread that borrowed (the new connection's lane, where borrows run on lanes)
   * or that timed the wait out, even when the runtime hands completions off. For the engine's own
   * continuations only (a session's next step): they must never block.
   */
  public static <C> Acquisition<C> start(EngineRuntime runtime, Engine engine, ConnectionFactory<C> factory,
      boolean completeHere) {
    Acquisition<C> acquisition = runtime.track(new Acquisition<>(runtime, engine, factory, completeHere));
    Scopes.link(acquisition);
    if (acquisition.timing != null) {
      acquisition.whenComplete(acquisition.timing);
    }
    AdmissionGate.Ticket waitingTicket = runtime.gate().enter(acquisition::admitted, acquisition::timedOut);
    acquisition.ticket(waitingTicket);
    return acquisition;
  }

  private void ticket(AdmissionGate.Ticket waitingTicket) {
    ticket = waitingTicket;
    if (isDone()) {
      runtime.gate().withdraw(waitingTicket); // cancelled before the ticket was known
    }
  }

  /**
   * The gate handed us a slot: borrow on an engine thread. Declines when already cancelled.
   *
   * <p>The borrow runs as the first task of the new connection's own lane where the runtime allows
   * it (see {@link EngineRuntime#borrow}), so the thread that borrows is the thread that then runs
   * the caller's first statement. A slot handed over by a connection closing on its lane comes with
   * that lane ({@link Release#handedOver()}): a lane is only an order of tasks, the closed
   * connection has nothing left on it but its own end, and its thread goes on with the borrow.
   */
  private boolean admitted() {
    if (isDone()) {
      return false;
    }
    if (timing != null) {
      timing.admitted = System.nanoTime();
    }
    Lane handedOver = Release.handedOver();
    Lane lane = handedOver != null ? handedOver : runtime.newLane();
    try {
      runtime.borrow(lane, () -> borrow(lane));
      return true;
    } catch (RejectedExecutionException e) {
      super.completeExceptionally(EngineRuntime.disposed());
      return false;
    }
  }

  private void borrow(Lane lane) {
    if (isDone()) {
      runtime.gate().leave();
      return; // cancelled after admission; no connection touched
    }
    SqlConnection connection;
    try (OperationScope scope = timing == null ? OperationScope.NONE : timing.openScope()) {
      connection = engine.connect();
    } catch (Throwable failure) {
      runtime.gate().leave();
      settle(() -> completeExceptionally(runtime.errors().translate(failure)));
      return;
    }
    C result = factory.open(connection, lane, new Release(runtime.gate(), lane));
    settle(() -> {
      if (!complete(result)) {
        connection.close();
        runtime.gate().leave();
      }
    });
  }

  /** The gate's wait passed the connection timeout: fail with its {@code PoolTimeoutException}, translated. */
  private void timedOut(PoolTimeoutException timeout) {
    settle(() -> completeExceptionally(runtime.errors().translate(timeout)));
  }

  /**
   * Completes the connect where the runtime completes futures, in the caller's context. Called at
   * most once: the borrow's outcome and the gate's timeout exclude each other.
   */
  private void settle(Runnable outcome) {
    Runnable settling = outcome;
    if (inCallerContext != null) {
      completion = outcome;
      settling = inCallerContext;
    }
    if (completeHere) {
      settling.run();
    } else {
      runtime.settle(settling);
    }
  }

  private void runCompletion() {
    Runnable outcome = completion;
    if (outcome != null) {
      outcome.run();
    }
  }

  /** Cancels the connect; a ticket still waiting leaves the gate. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      withdraw();
    }
    return cancelled;
  }

  /** Fails the connect; a ticket still waiting leaves the gate. */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    boolean completed = super.completeExceptionally(failure);
    if (completed) {
      withdraw();
    }
    return completed;
  }

  private void withdraw() {
    AdmissionGate.Ticket waitingTicket = ticket;
    if (waitingTicket != null) {
      runtime.gate().withdraw(waitingTicket);
    }
  }
}
