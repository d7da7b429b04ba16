package io.asyncengine.asyncio;

import io.asyncengine.asyncio.internal.Acquisition;
import io.asyncengine.asyncio.internal.EngineErrors;
import io.asyncengine.asyncio.internal.EngineEvents;
import io.asyncengine.asyncio.internal.EngineRuntime;
import io.asyncengine.asyncio.internal.RetryLoop;
import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.concurrent.TaskGroup;
import io.asyncengine.concurrent.internal.AdmissionGate;
import io.asyncengine.concurrent.internal.Scopes;
import io.asyncengine.core.Engine;
import io.asyncengine.core.EngineSettings;
import io.asyncengine.core.PoolStatus;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.concurrent.internal.HandOffFuture;
import io.asyncengine.internal.Futures;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point (SQLAlchemy's {@code create_async_engine} / {@code AsyncEngine}): a synchronous
 * {@link Engine} (the HikariCP pool and the settings every connection gets), an executor of
 * virtual (or platform) threads that drives it, and the admission gate in front of the pool. Every
 * I/O method returns a {@link CompletableFuture} and never blocks the caller.
 *
 * <pre>{@code
 * try (AsyncEngine engine = AsyncEngine.create("jdbc:sqlite:app.db")) {
 *   engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", "ada")).join();
 * }
 * }</pre>
 *
 * <p>As in SQLAlchemy, the synchronous engine comes first: {@link #builder()} builds one from its
 * settings and wraps it, and {@link #wrap(Engine)} wraps one built elsewhere.
 *
 * <p>Thread-safe. Views made by {@link #withOptions} share the pool and executor: disposing any of
 * them disposes all.
 */
public final class AsyncEngine implements AutoCloseable {

  /** The grace period {@link #dispose()} gives work in flight unless the builder says otherwise. */
  private static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
  /** The name an engine has unless {@link Builder#name} says otherwise. */
  public static final String DEFAULT_NAME = "async-engine";

  private final Engine engine;
  private final EngineRuntime runtime;
  private final Acquisition.ConnectionFactory<AsyncConnection> connections;
  /** The listeners, or {@code null}: then operations are neither timed nor reported. */
  private final @Nullable EngineEvents events;

  private AsyncEngine(Engine engine, EngineRuntime runtime) {
    this.engine = engine;
    this.runtime = runtime;
    this.events = runtime.events();
    this.connections = (connection, lane, release) -> new AsyncConnection(this, connection, lane, release);
  }

  /**
   * An engine for {@code jdbcUrl} with default settings.
   *
   * @throws OperationalException when the pool cannot start (driver missing, database unreachable)
   * @throws NullPointerException when {@code jdbcUrl} is null
   */
  public static AsyncEngine create(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
    return builder().url(jdbcUrl).build();
  }

  /** A builder for an engine with a pool of its own, or over an existing {@code DataSource}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An async engine over {@code engine} (SQLAlchemy's {@code AsyncEngine(sync_engine)}), with the
   * builder's executor defaults: {@link ExecutorMode#AUTO}, as many platform threads and gate
   * permits as {@link Engine#maxPoolSize()}, a 30 s grace period at disposal. The async engine takes
   * the engine over: {@link #dispose()} closes it. Use {@link #builder()} for other executor settings.
   *
   * @throws NullPointerException when {@code engine} is null
   */
  public static AsyncEngine wrap(Engine engine) {
    Objects.requireNonNull(engine, "engine must not be null");
    int poolSize = engine.maxPoolSize();
    return new AsyncEngine(engine, EngineRuntime.start(engine, ExecutorMode.AUTO, poolSize, poolSize, false,
        ContextPropagator.NONE, DEFAULT_GRACE_PERIOD, null));
  }

  /**
   * {@link #wrap(Engine)} with {@code listener} installed (see {@link EngineListener}).
   *
   * @throws NullPointerException when {@code engine} or {@code listener} is null
   */
  public static AsyncEngine wrap(Engine engine, EngineListener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    Objects.requireNonNull(engine, "engine must not be null");
    EngineEvents heard = EngineEvents.of(List.of(Objects.requireNonNull(listener, "listener must not be null")));
    int poolSize = engine.maxPoolSize();
    return new AsyncEngine(engine, EngineRuntime.start(engine, ExecutorMode.AUTO, poolSize, poolSize, false,
        ContextPropagator.NONE, DEFAULT_GRACE_PERIOD, heard));
  }

  /**
   * Borrows a connection through the admission gate. The future completes, on an engine thread,
   * once the gate admits the caller (FIFO, at most {@code maxConcurrency} connections out at once)
   * and the pool hands one out. It fails with {@link io.asyncengine.error.PoolTimeoutException}
   * (naming pool size, in use and waiting) when no connection is free within the connection timeout,
   * and with {@link ResourceClosedException} once the engine is disposed. Cancelling it while it
   * waits in the gate leaves the queue without touching a connection; a connection obtained too late
   * goes straight back to the pool. Never blocks the caller.
   */
  public CompletableFuture<AsyncConnection> connect() {
    if (runtime.isDisposed()) {
      ResourceClosedException disposed = EngineRuntime.disposed();
      if (events != null) {
        events.connectRefused(disposed);
      }
      return CompletableFuture.failedFuture(disposed);
    }
    return Acquisition.start(runtime, engine, connections);
  }

  /**
   * {@link #connect()} for a session's next step: the future completes on the engine thread that
   * borrowed (the connection's lane), so the session's own continuation submits its work there
   * without a hand-off. What depends on it must never block.
   */
  CompletableFuture<AsyncConnection> connectForSession() {
    if (runtime.isDisposed()) {
      return connect();
    }
    return Acquisition.start(runtime, engine, connections, true);
  }

  /**
   * Runs {@code completion}, which completes {@code future}, a future a caller holds, where the
   * engine completes futures: when continuations are handed off the engine's platform threads, on
   * the virtual thread waiting in the future's {@code join()}, or else on a new virtual thread, in
   * the calling thread's context; otherwise here.
   */
  void settle(HandOffFuture<?> future, Runnable completion) {
    runtime.settleInContext(future, completion);
  }

  /**
   * Borrows a connection with its transaction begun ({@code engine.begin()}); the caller commits
   * and closes it. Prefer {@link #inTransaction}, which cannot forget either. Cancelling the future
   * reaches the step in progress: a connect still waiting gives up (a connection borrowed too late
   * goes straight back), and a connection already borrowed is rolled back and returned. Fails as
   * {@link #connect()} does, or with the database's error for the {@code BEGIN}. Never blocks; the
   * future completes on an engine thread.
   */
  public CompletableFuture<AsyncConnection> begin() {
    if (runtime.isDisposed()) {
      return connect();
    }
    CompletableFuture<AsyncConnection> result = accepted(new CompletableFuture<>());
    connectFor(result, connection -> {
      CompletableFuture<AsyncTransaction> beginning = connection.begin();
      Futures.cancelWith(result, beginning);
      beginning.whenComplete((tx, beginFailure) -> {
        if (beginFailure == null && result.complete(connection)) {
          return;
        }
        connection.close(); // the begin failed, or the caller cancelled: nobody else will close it
        if (beginFailure != null) {
          result.completeExceptionally(Futures.unwrap(beginFailure));
        }
      });
    });
    return result;
  }

  /**
   * Runs {@code work} in a transaction on a connection of its own (SQLAlchemy's
   * {@code async with engine.begin() as conn}): commits when the stage it returns completes, rolls
   * back when it fails or when the returned future is cancelled, and always returns the connection
   * to the pool. The future completes after the commit; on failure, once the connection is closed,
   * its rollback following on the lane before the connection goes back to the pool (see
   * {@link AsyncConnection#close()}).
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> inTransaction(
      Function<? super AsyncConnection, ? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work must not be null");
    CompletableFuture<T> result = accepted(new CompletableFuture<>());
    if (events != null) {
      events.timed(OperationKinds.ENGINE_IN_TRANSACTION, System.nanoTime(), result);
    }
    connectFor(result, connection -> connection.runTransaction(work, result));
    return result;
  }

  /**
   * {@link #inTransaction(Function)}, run again as {@code policy} allows when it fails: each attempt
   * is a whole new transaction on a connection of its own, so {@code work} must not depend on state
   * an earlier attempt left behind. Retried are serialization failures and deadlocks
   * ({@link io.asyncengine.error.SerializationFailureException}) and, only under
   * {@link RetryPolicy#idempotent()}, a connection lost before COMMIT was sent; never a
   * {@link io.asyncengine.error.CommitOutcomeUnknownException}. Between attempts the engine waits
   * the policy's jittered backoff holding no connection and no thread. The future completes with
   * the first successful attempt's value, or with the failure that ended the loop (the last
   * attempt's, the earlier ones added as suppressed). Cancelling it cancels the attempt in flight
   * (rolled back) or ends the backoff at once. Each attempt is reported to the engine's listeners
   * as {@code engine.in_transaction}, each retry through {@link EngineListener#retryScheduled}.
   *
   * @throws NullPointerException when {@code work} or {@code policy} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> inTransaction(
      Function<? super AsyncConnection, ? extends CompletionStage<T>> work, RetryPolicy policy) {
    Objects.requireNonNull(work, "work must not be null");
    return retrying(policy, OperationKinds.ENGINE_IN_TRANSACTION, () -> inTransaction(work));
  }

  /**
   * Runs blocking-style {@code work} on an engine thread against a connection of its own, which is
   * closed afterwards (uncommitted work is rolled back). Cancelling the future cancels the running
   * statement.
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runSync(Function<? super SqlConnection, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return runBlocking(work, false);
  }

  /**
   * Like {@link #runSync}, inside a transaction committed when {@code work} returns normally.
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runSyncInTransaction(
      Function<? super SqlConnection, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return runBlocking(work, true);
  }

  /** The synchronous engine this one proxies (SQLAlchemy's {@code sync_engine}). */
  public Engine sync() {
    return engine;
  }

  /** The database dialect. */
  public Dialect dialect() {
    return engine.dialect();
  }

  /** The executor mode in force (never {@code AUTO}). */
  public ExecutorMode executorMode() {
    return runtime.mode();
  }

  /**
   * A view whose connections get other defaults (SQLAlchemy's {@code execution_options}): the
   * options set in {@code options} (isolation, statement timeout, fetch size, read-only) override
   * this engine's, every option it does not set keeps this engine's value
   * ({@link ExecutionOptions#mergedOver}). The view shares this engine's pool, executor, gate and
   * listener. Runs on the calling thread; does not block.
   *
   * @throws NullPointerException when {@code options} is null
   */
  public AsyncEngine withOptions(ExecutionOptions options) {
    Objects.requireNonNull(options, "options must not be null");
    return new AsyncEngine(engine.withOptions(options), runtime);
  }

  /** Whether {@link #dispose()} has been called on this engine or a view of it. */
  public boolean isDisposed() {
    return runtime.isDisposed();
  }

  /**
   * Stops accepting work (new {@code connect}, {@code runSync}, {@code inTransaction} fail with
   * {@link ResourceClosedException} at once), lets work already accepted run for the grace period
   * (until every admitted connection is closed), then aborts what is still in flight with
   * {@link ResourceClosedException} (statements cancelled on the server, transactions rolled
   * back), shuts the executors down and closes the pool (when the engine created it). Idempotent:
   * every call returns the same future, completed on a separate platform thread when disposal is
   * done; {@link #isTerminated()} is then true.
   */
  public CompletableFuture<Void> dispose() {
    return runtime.dispose(engine);
  }

  /** {@link #dispose()} and wait for it. Blocks the calling thread up to the grace period and more. */
  @Override
  public void close() {
    dispose().join();
  }

  private <T extends @Nullable Object> CompletableFuture<T> runBlocking(
      Function<? super SqlConnection, ? extends T> work, boolean transactional) {
    Objects.requireNonNull(work, "work must not be null");
    CompletableFuture<T> result = accepted(new CompletableFuture<>());
    if (events != null) {
      events.timed(transactional ? OperationKinds.ENGINE_RUN_SYNC_IN_TRANSACTION : OperationKinds.ENGINE_RUN_SYNC,
          System.nanoTime(), result);
    }
    connectFor(result, connection -> {
      CompletableFuture<T> task = connection.runSync(transactional ? c -> c.runInTransaction(work) : work);
      Futures.cancelWith(result, task);
      task.whenComplete((value, taskFailure) -> connection.close().whenComplete((closed, closeFailure) -> {
        if (taskFailure != null) {
          result.completeExceptionally(Futures.unwrap(taskFailure));
        } else {
          result.complete(value);
        }
      }));
    });
    return result;
  }

  /**
   * The result of running {@code attempt} as {@code policy} allows (see {@link RetryLoop}); tracked
   * for disposal and linked to the caller's task-group scope like every operation.
   */
  <T extends @Nullable Object> CompletableFuture<T> retrying(RetryPolicy policy, String kind,
      Supplier<CompletableFuture<T>> attempt) {
    Objects.requireNonNull(policy, "policy must not be null");
    return RetryLoop.start(policy, attempt, accepted(new CompletableFuture<>()), events, kind);
  }

  /**
   * Borrows a connection for the operation whose future is {@code result}: cancelling
   * {@code result} reaches the connect, a failed connect fails {@code result}, a connection that
   * arrives after {@code result} ended (cancelled meanwhile) goes straight back, and otherwise
   * {@code use} gets it, on the engine thread that completed the connect.
   */
  private void connectFor(CompletableFuture<?> result, Consumer<AsyncConnection> use) {
    CompletableFuture<AsyncConnection> acquiring = connect();
    Futures.cancelWith(result, acquiring);
    acquiring.whenComplete((connection, failure) -> {
      if (failure != null) {
        result.completeExceptionally(Futures.unwrap(failure));
      } else if (result.isDone()) {
        connection.close();
      } else {
        use.accept(connection);
      }
    });
  }

  /** Tracks {@code future} for disposal and links it to the caller's task-group scope. */
  private <F extends CompletableFuture<?>> F accepted(F future) {
    return Scopes.link(runtime.track(future));
  }

  /** The engine's listeners, or {@code null} when none is installed. */
  @Nullable EngineEvents events() {
    return events;
  }

  /** The translation of the engine's own exceptions (see {@code ExceptionTranslator.translateEngineException}). */
  EngineErrors errors() {
    return runtime.errors();
  }

  /** Tracks a lane task of a connection of this engine, for disposal. */
  <F extends CompletableFuture<?>> F track(F future) {
    return runtime.track(future);
  }

  /**
   * Whether disposal has finished and every engine thread has ended.
   * Never blocks.
   */
  public boolean isTerminated() {
    return runtime.isTerminated();
  }

  /** The admission gate's numbers: {@code maxConcurrency}, permits in use, waiters. Never blocks. */
  public GateStats gateStats() {
    AdmissionGate gate = runtime.gate();
    return new GateStats(gate.capacity(), gate.inUse(), gate.waiting());
  }

  /**
   * A snapshot of the admission gate.
   *
   * @param maxConcurrency connections that may be out at once
   * @param inUse connections out now (admitted and not yet closed)
   * @param waiting callers waiting in the gate
   */
  public record GateStats(int maxConcurrency, int inUse, int waiting) {}

  /**
   * A snapshot of the pool and the admission gate in front of it (SQLAlchemy's
   * {@code pool.status()}): connections checked out, idle and in total and threads waiting inside
   * HikariCP (see {@link Engine#poolStatus()}; {@code -1} for a data source that is not HikariCP),
   * and the gate's capacity, permits in use and callers queued. Never blocks; any thread.
   */
  public PoolStatus poolStatus() {
    AdmissionGate gate = runtime.gate();
    return engine.poolStatus().withGate(new PoolStatus.Gate(gate.capacity(), gate.inUse(), gate.waiting()));
  }

  /**
   * A task group whose tasks run on virtual threads (see {@link TaskGroup#open()}), each in the
   * context the engine's {@link ContextPropagator}s capture on the forking thread; engine
   * operations started inside its tasks are cancelled with them. Never blocks.
   */
  public TaskGroup taskGroup() {
    return TaskGroup.open(runtime.context());
  }

  /**
   * Configures an {@link AsyncEngine}: the synchronous engine's settings (see {@link EngineSettings}:
   * where connections come from, pool sizing, per-connection defaults) and the executor's. Not
   * thread-safe; {@link #build()} may be called once.
   */
  public static final class Builder extends EngineSettings<Builder> {
    private ExecutorMode executorMode = ExecutorMode.AUTO;
    private @Nullable Integer platformThreads;
    private Duration shutdownGracePeriod = DEFAULT_GRACE_PERIOD;
    private @Nullable Integer maxConcurrency;
    private boolean virtualContinuations;
    private final List<ContextPropagator> propagators = new ArrayList<>();
    private final List<EngineListener> listeners = new ArrayList<>();
    private @Nullable OperationObserver observer;
    private String name = DEFAULT_NAME;

    private Builder() {}

    /**
     * Installs {@code observer}, which observes every operation and every connect of the engine and
     * its {@code withOptions} views (see {@link OperationObserver}): started on the caller's thread,
     * scoped around the JDBC work on the lane, stopped with the outcome. It sees the same operations,
     * kinds and outcomes as the listeners; one measurement feeds both. None by default, and then
     * nothing is started, captured or allocated for observation. A second call replaces the first.
     *
     * @throws NullPointerException when {@code observer} is null
     */
    public Builder observer(OperationObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer must not be null");
      return this;
    }

    /**
     * The engine's name, told to its {@link OperationObserver} with every operation (a metric tag,
     * a span attribute); default {@value AsyncEngine#DEFAULT_NAME}. The Spring Boot starter names
     * its engine after its bean, {@code asyncEngine}.
     *
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code name} is blank
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Adds {@code listener}, which hears every operation and every connect of the engine (see
     * {@link EngineListener}); several are called in the order they were added. None by default,
     * and then operations are neither timed nor reported.
     *
     * @throws NullPointerException when {@code listener} is null
     */
    public Builder listener(EngineListener listener) {
      Objects.requireNonNull(listener, "listener must not be null");
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Which threads run database work; default {@link ExecutorMode#AUTO}.
     *
     * @throws NullPointerException when {@code mode} is null
     */
    public Builder executorMode(ExecutorMode mode) {
      this.executorMode = Objects.requireNonNull(mode, "mode must not be null");
      return this;
    }

    /** Threads of the {@link ExecutorMode#PLATFORM} pool; default the pool's maximum size. */
    public Builder platformThreads(int threads) {
      this.platformThreads = threads;
      return this;
    }

    /**
     * Adds {@code propagator}, which carries the context of the thread that calls the engine (MDC,
     * tracing, security) to the threads that run the work and complete its futures, and to the
     * tasks of {@link AsyncEngine#taskGroup()}; several apply in the order added, the first
     * outermost. None by default, and then nothing is captured or wrapped.
     *
     * @throws NullPointerException when {@code propagator} is null
     */
    public Builder contextPropagator(ContextPropagator propagator) {
      propagators.add(Objects.requireNonNull(propagator, "propagator must not be null"));
      return this;
    }

    /**
     * Whether the futures of a {@link ExecutorMode#PLATFORM} executor complete on a virtual thread
     * instead of the platform thread that ran the work; default {@code false}. With {@code true},
     * continuations ({@code thenApply}, {@code join} callers woken) never run on the engine's
     * platform threads, so they may block without holding a thread another connection needs (a
     * stream's signals still run on the lane). Each operation pays a hand-off to a virtual thread: a
     * new one, or the one that has just run a completion and waits briefly for the next (see
     * docs/concurrency.md for the mechanism and its measured cost). Without effect on {@link ExecutorMode#VIRTUAL},
     * whose work already runs on virtual threads.
     */
    public Builder virtualContinuations(boolean enabled) {
      this.virtualContinuations = enabled;
      return this;
    }

    /**
     * The admission gate's size: connections out at once (anyio's {@code CapacityLimiter}); work
     * beyond it waits in FIFO order, parked cheaply. Default: the pool's maximum size. A larger value
     * lets callers wait inside HikariCP instead; a smaller one keeps connections for other users of
     * a wrapped pool.
     */
    public Builder maxConcurrency(int permits) {
      this.maxConcurrency = permits;
      return this;
    }

    /**
     * How long {@code dispose()} lets work in flight finish; default 30 s.
     *
     * @throws NullPointerException when {@code grace} is null
     */
    public Builder shutdownGracePeriod(Duration grace) {
      this.shutdownGracePeriod = Objects.requireNonNull(grace, "grace must not be null");
      return this;
    }

    /**
     * Builds the synchronous engine (starting the pool, or inspecting the wrapped one), then the
     * executor and the admission gate around it. Blocking. When the executor settings are refused,
     * the engine just built is closed again.
     *
     * @throws IllegalStateException when neither a URL nor a data source was given, or both
     * @throws IllegalArgumentException for a non-positive pool size, platform thread count or
     *     {@code maxConcurrency}, a negative statement cache size, or a timeout HikariCP refuses
     * @throws OperationalException when the pool cannot start: driver missing, database unreachable
     */
    public AsyncEngine build() {
      Engine engine = buildEngine();
      try {
        int poolSize = engine.maxPoolSize();
        return new AsyncEngine(engine, EngineRuntime.start(engine, executorMode,
            platformThreads != null ? platformThreads : poolSize, maxConcurrency != null ? maxConcurrency : poolSize,
            virtualContinuations, ContextPropagator.of(propagators), shutdownGracePeriod,
            EngineEvents.of(listeners, observer, name, engine.config().dialect().name())));
      } catch (RuntimeException e) {
        engine.close();
        throw e;
      }
    }
  }
}
