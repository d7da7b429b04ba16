package io.asyncengine.asyncio.internal;

import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.concurrent.internal.AdmissionGate;
import io.asyncengine.concurrent.internal.EngineExecutors;
import io.asyncengine.concurrent.internal.HandOffFuture;
import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.core.Engine;
import io.asyncengine.error.ResourceClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What an async engine and its {@code withOptions} views share: the executors, the admission gate,
 * the work in flight and the disposal.
 *
 * <p>Invariants: every connect and every lane task of the engine is tracked until it completes,
 * so disposal can abort what outlives the grace period; {@link #dispose} runs its sequence once,
 * and every later call returns the same future.
 *
 * <p>Thread-safe.
 */
public final class EngineRuntime {

  private final ExecutorService executor;
  private final ExecutorService acquirer;
  /** Where lane futures complete; {@code null}: on the lane's own thread. */
  private final @Nullable Executor completions;
  private final ContextPropagator context;
  /** Every admitted connection can have an executor thread, so borrows may run on the lanes. */
  private final boolean borrowOnLane;
  private final ExecutorMode mode;
  private final Duration gracePeriod;
  private final AdmissionGate gate;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable CompletableFuture<Void>> disposal = new AtomicReference<>();
  private final @Nullable EngineEvents events;
  private final EngineErrors errors;

  private EngineRuntime(ExecutorService executor, ExecutorMode mode, boolean borrowOnLane,
      @Nullable Executor completions, ContextPropagator context, Duration gracePeriod, AdmissionGate gate,
      @Nullable EngineEvents events, EngineErrors errors) {
    this.executor = executor;
    this.completions = completions;
    this.context = context;
    this.events = events;
    this.errors = errors;
    this.borrowOnLane = borrowOnLane;
    this.acquirer = borrowOnLane
        ? executor
        : Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("async-engine-acquire-", 0).factory());
    this.mode = mode;
    this.gracePeriod = gracePeriod;
    this.gate = gate;
  }

  /**
   * Starts the executor for {@code requested} and the gate in front of {@code engine}'s pool.
   *
   * @param platformThreads threads of a platform executor (ignored for virtual threads)
   * @param maxConcurrency the gate's size: connections out at once
   * @param virtualContinuations whether futures of a platform executor complete on virtual threads
   * @param context carries callers' context to the work and its completions
   * @param gracePeriod how long {@link #dispose} lets work in flight finish
   * @param events the engine's listeners, or {@code null} for none
   * @throws IllegalArgumentException when a platform executor gets fewer than one thread, or the
   *     gate fewer than one permit
   */
  public static EngineRuntime start(Engine engine, ExecutorMode requested, int platformThreads, int maxConcurrency,
      boolean virtualContinuations, ContextPropagator context, Duration gracePeriod, @Nullable EngineEvents events) {
    ExecutorMode mode = EngineExecutors.resolve(requested);
    ExecutorService executor = EngineExecutors.create(mode, platformThreads);
    AdmissionGate gate;
    try {
      gate = new AdmissionGate(maxConcurrency, engine.maxPoolSize(), engine.connectionTimeout());
    } catch (RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
    boolean borrowOnLane = mode == ExecutorMode.VIRTUAL || platformThreads >= maxConcurrency;
    Executor completions = virtualContinuations && mode == ExecutorMode.PLATFORM ? EngineExecutors.continuations() : null;
    return new EngineRuntime(executor, mode, borrowOnLane, completions, context, gracePeriod, gate, events,
        EngineErrors.of(engine.config().exceptionTranslator()));
  }

  /** The exception for work refused or aborted because the engine is disposed. */
  public static ResourceClosedException disposed() {
    return new ResourceClosedException("The engine has been disposed");
  }

  /** The executor mode in force (never {@code AUTO}). */
  public ExecutorMode mode() {
    return mode;
  }

  /** The admission gate in front of the pool. */
  public AdmissionGate gate() {
    return gate;
  }

  /** The engine's listeners, or {@code null} when none is installed (then nothing is timed). */
  public @Nullable EngineEvents events() {
    return events;
  }

  /** The translation of the engine's own exceptions, through the engine's {@code ExceptionTranslator}. */
  public EngineErrors errors() {
    return errors;
  }

  /** A new connection's lane, on the engine's executor; its futures complete where {@link #settle} runs. */
  public Lane newLane() {
    return new Lane(executor, completions, context);
  }

  /** What carries a caller's context to the engine's threads ({@link ContextPropagator#NONE} by default). */
  public ContextPropagator context() {
    return context;
  }

  /**
   * Runs {@code completion}, which completes a future the caller holds: on a new virtual thread
   * when the engine hands continuations off its platform threads, otherwise right here.
   */
  public void settle(Runnable completion) {
    if (completions == null) {
      completion.run();
      return;
    }
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  /**
   * {@link #settle} of {@code completion}, which completes {@code future}: handed to the virtual
   * thread waiting in the future's {@code join()} when there is one, and carrying the calling
   * thread's context to the thread that runs it.
   */
  public void settleInContext(HandOffFuture<?> future, Runnable completion) {
    if (completions == null) {
      completion.run();
      return;
    }
    future.settle(context == ContextPropagator.NONE ? completion : context.propagate(completion), completions);
  }

  /**
   * Runs {@code borrow}, the pool borrow of the connection that will run on {@code lane}: as the
   * lane's first task when every admitted connection can have an executor thread (virtual threads,
   * or a platform pool at least as large as the gate), so one thread hand-off per connect instead
   * of two; otherwise on a virtual thread of its own, since a borrow blocked in the pool could hold
   * the platform thread a lane needs to give a connection back.
   *
   * @throws java.util.concurrent.RejectedExecutionException once the executors are shut down
   */
  public void borrow(Lane lane, Runnable borrow) {
    if (borrowOnLane) {
      lane.execute(borrow);
    } else {
      acquirer.execute(borrow);
    }
  }

  /** Whether disposal has begun. Never blocks. */
  public boolean isDisposed() {
    return disposal.get() != null;
  }

  /** Whether disposal has finished and every engine thread has ended. Never blocks. */
  public boolean isTerminated() {
    CompletableFuture<Void> done = disposal.get();
    return done != null && done.isDone() && executor.isTerminated() && acquirer.isTerminated();
  }

  /** Tracks {@code future} until it completes, so disposal can abort it. Any thread. */
  public <F extends CompletableFuture<?>> F track(F future) {
    inFlight.add(future);
    future.whenComplete((value, failure) -> inFlight.remove(future));
    return future;
  }

  /**
   * New work is refused at once (callers check {@link #isDisposed()}); work already accepted gets
   * the grace period, measured as "every gate permit is back"; what is still running then is
   * aborted with {@link ResourceClosedException} (statements cancelled on the server, transactions
   * rolled back on their lanes), the executors are shut down and awaited, and {@code engine} is
   * closed (its pool too, when the engine created it). Runs on a platform thread of its own; the
   * returned future completes there when all is done. Idempotent: every call returns the same
   * future.
   */
  public CompletableFuture<Void> dispose(Engine engine) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!disposal.compareAndSet(null, done)) {
      return disposal.get();
    }
    Thread.ofPlatform().name("async-engine-dispose").daemon().start(() -> {
      try {
        if (!gate.drain(gracePeriod)) {
          ResourceClosedException closed = new ResourceClosedException("The engine was disposed and its grace period of "
              + gracePeriod.toMillis() + " ms ended before this operation completed");
          for (CompletableFuture<?> future : List.copyOf(inFlight)) {
            Lane.abort(future, closed);
          }
          // Aborted work rolls back and gives its connections back on the lanes; give it a moment.
          gate.drain(Duration.ofSeconds(5));
        }
        acquirer.shutdown();
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
          executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        acquirer.shutdownNow();
        acquirer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        executor.shutdownNow();
        acquirer.shutdownNow();
        Thread.currentThread().interrupt();
      } finally {
        engine.close();
        done.complete(null);
      }
    });
    return done;
  }
}
