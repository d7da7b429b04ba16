package io.asyncengine.asyncio;

import io.asyncengine.internal.Futures;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.concurrent.internal.EngineExecutors;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.core.Engine;
import io.asyncengine.core.EngineConfig;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.ResourceClosedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import io.asyncengine.concurrent.TaskGroup;
import io.asyncengine.concurrent.internal.AdmissionGate;
import io.asyncengine.concurrent.internal.Scopes;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The entry point (SQLAlchemy's {@code create_async_engine} / {@code AsyncEngine}): a HikariCP
 * pool, an executor of virtual (or platform) threads, and the synchronous {@link Engine} they
 * drive. Every I/O method returns a {@link CompletableFuture} and never blocks the caller.
 *
 * <pre>{@code
 * try (AsyncEngine engine = AsyncEngine.create("jdbc:sqlite:app.db")) {
 *   engine.inTransaction(conn -> conn.execute("insert into users(name) values (?)", "ada")).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Views made by {@link #withOptions} share the pool and executor: disposing any of
 * them disposes all.
 */
public final class AsyncEngine implements AutoCloseable {

  private final Engine engine;
  private final Runtime runtime;

  private AsyncEngine(Engine engine, Runtime runtime) {
    this.engine = engine;
    this.runtime = runtime;
  }

  /**
   * An engine for {@code jdbcUrl} with default settings.
   *
   * @throws OperationalException when the pool cannot start (driver missing, database unreachable)
   */
  public static AsyncEngine create(String jdbcUrl) {
    return builder().url(jdbcUrl).build();
  }

  /** A builder for an engine with a pool of its own, or over an existing {@code DataSource}. */
  public static Builder builder() {
    return new Builder();
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
      return CompletableFuture.failedFuture(disposed());
    }
    Acquisition acquisition = runtime.track(new Acquisition());
    Scopes.link(acquisition);
    // Waiting costs a queue entry, not a thread: the gate calls back when a slot is ours.
    AdmissionGate.Ticket ticket = runtime.gate.enter(acquisition::admitted, acquisition::completeExceptionally);
    acquisition.ticket(ticket);
    return acquisition;
  }

  /**
   * One connect(): a ticket in the gate, then a borrow from the pool on an engine thread. Cancelling
   * it (or aborting it at disposal) while it waits withdraws the ticket without touching a
   * connection; a connection borrowed after a cancel goes straight back.
   */
  private final class Acquisition extends CompletableFuture<AsyncConnection> {
    private volatile AdmissionGate.Ticket ticket;

    void ticket(AdmissionGate.Ticket waitingTicket) {
      ticket = waitingTicket;
      if (isDone()) {
        runtime.gate.withdraw(waitingTicket); // cancelled before the ticket was known
      }
    }

    /**
     * The gate handed us a slot: borrow on an engine thread. Declines when already cancelled.
     *
     * <p>The borrow runs as the first task of the new connection's own lane, so the thread that
     * borrows is the thread that then runs the caller's first statement: one thread hand-off per
     * connect instead of two. That is safe only when every admitted connection can have a thread
     * (virtual threads, or a platform pool at least as large as the gate); otherwise a borrow
     * blocked in the pool could hold the platform thread a lane needs to give a connection back, and
     * the borrow runs on a virtual thread of its own.
     */
    boolean admitted() {
      if (isDone()) {
        return false;
      }
      Lane lane = new Lane(runtime.executor);
      try {
        if (runtime.borrowOnLane) {
          lane.execute(() -> borrow(lane));
        } else {
          runtime.acquirer.execute(() -> borrow(lane));
        }
        return true;
      } catch (RejectedExecutionException e) {
        super.completeExceptionally(disposed());
        return false;
      }
    }

    private void borrow(Lane lane) {
      if (isDone()) {
        runtime.gate.leave();
        return; // cancelled after admission; no connection touched
      }
      SqlConnection connection;
      try {
        connection = engine.connect();
      } catch (Throwable failure) {
        runtime.gate.leave();
        completeExceptionally(failure);
        return;
      }
      AsyncConnection result = new AsyncConnection(AsyncEngine.this, connection, lane, new Release(runtime.gate));
      if (!complete(result)) {
        connection.close();
        runtime.gate.leave();
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        withdraw();
      }
      return cancelled;
    }

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
        runtime.gate.withdraw(waitingTicket);
      }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /** Gives a gate permit back exactly once, when the connection is closed. */
  static final class Release implements Runnable {
    private final AdmissionGate gate;
    private final AtomicBoolean done = new AtomicBoolean();

    Release(AdmissionGate gate) {
      this.gate = gate;
    }

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        gate.leave();
      }
    }
  }

  /**
   * Borrows a connection with its transaction begun ({@code engine.begin()}); the caller commits
   * and closes it. Prefer {@link #inTransaction}, which cannot forget either.
   */
  public CompletableFuture<AsyncConnection> begin() {
    return connect().thenCompose(connection -> connection.begin()
        .handle((tx, failure) -> {
          if (failure != null) {
            connection.close();
            throw new java.util.concurrent.CompletionException(Futures.unwrap(failure));
          }
          return connection;
        }));
  }

  /**
   * Runs {@code work} in a transaction on a connection of its own (SQLAlchemy's
   * {@code async with engine.begin() as conn}): commits when the stage it returns completes, rolls
   * back when it fails or when the returned future is cancelled, and always returns the connection
   * to the pool. The future completes after the commit or rollback.
   */
  public <T> CompletableFuture<T> inTransaction(Function<? super AsyncConnection, ? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = accepted(new CompletableFuture<>());
    CompletableFuture<AsyncConnection> acquiring = connect();
    Futures.cancelWith(result, acquiring);
    acquiring.whenComplete((connection, failure) -> {
      if (failure != null) {
        result.completeExceptionally(Futures.unwrap(failure));
      } else if (result.isDone()) {
        connection.close();
      } else {
        connection.runTransaction(work, result);
      }
    });
    return result;
  }

  /**
   * Runs blocking-style {@code work} on an engine thread against a connection of its own, which is
   * closed afterwards (uncommitted work is rolled back). Cancelling the future cancels the running
   * statement.
   */
  public <T> CompletableFuture<T> runSync(Function<? super SqlConnection, ? extends T> work) {
    return runBlocking(connection -> work.apply(connection), false);
  }

  /** Like {@link #runSync}, inside a transaction committed when {@code work} returns normally. */
  public <T> CompletableFuture<T> runSyncInTransaction(Function<? super SqlConnection, ? extends T> work) {
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
    return runtime.mode;
  }

  /**
   * A view whose connections get other defaults (isolation, statement timeout, fetch size,
   * read-only); it shares this engine's pool and executor.
   */
  public AsyncEngine withOptions(ExecutionOptions options) {
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

  private <T> CompletableFuture<T> runBlocking(Function<? super SqlConnection, ? extends T> work, boolean transactional) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = accepted(new CompletableFuture<>());
    CompletableFuture<AsyncConnection> acquiring = connect();
    Futures.cancelWith(result, acquiring);
    acquiring.whenComplete((connection, failure) -> {
      if (failure != null) {
        result.completeExceptionally(Futures.unwrap(failure));
        return;
      }
      if (result.isDone()) {
        connection.close(); // cancelled while acquiring
        return;
      }
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

  /** Tracks {@code future} for disposal and links it to the caller's task-group scope. */
  private <F extends CompletableFuture<?>> F accepted(F future) {
    return Scopes.link(runtime.track(future));
  }

  /** Tracks a lane task of a connection of this engine, for disposal. */
  <F extends CompletableFuture<?>> F track(F future) {
    return runtime.track(future);
  }

  /**
   * Whether disposal has finished and every engine thread has ended (R8: no thread is left).
   * Never blocks.
   */
  public boolean isTerminated() {
    return runtime.disposal.get() != null && runtime.disposal.get().isDone()
        && runtime.executor.isTerminated() && runtime.acquirer.isTerminated();
  }

  /** The admission gate's numbers: {@code maxConcurrency}, permits in use, waiters. Never blocks. */
  public GateStats gateStats() {
    return new GateStats(runtime.gate.capacity(), runtime.gate.inUse(), runtime.gate.waiting());
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
   * A task group whose tasks run on virtual threads (see {@link TaskGroup#open()}); engine
   * operations started inside its tasks are cancelled with them.
   */
  public TaskGroup taskGroup() {
    return TaskGroup.open();
  }

  private static ResourceClosedException disposed() {
    return new ResourceClosedException("The engine has been disposed");
  }

  /** What views of one engine share: the executors, the admission gate, work in flight, the disposal. */
  private static final class Runtime {
    private final ExecutorService executor;
    private final ExecutorService acquirer;
    /** Every admitted connection can have an executor thread, so borrows may run on the lanes. */
    private final boolean borrowOnLane;
    private final ExecutorMode mode;
    private final Duration gracePeriod;
    private final Duration connectionTimeout;
    private final AdmissionGate gate;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicReference<CompletableFuture<Void>> disposal = new AtomicReference<>();

    Runtime(ExecutorService executor, ExecutorMode mode, boolean borrowOnLane, Duration gracePeriod,
        Duration connectionTimeout, AdmissionGate gate) {
      this.executor = executor;
      this.borrowOnLane = borrowOnLane;
      this.acquirer = borrowOnLane
          ? executor
          : Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("async-engine-acquire-", 0).factory());
      this.mode = mode;
      this.gracePeriod = gracePeriod;
      this.connectionTimeout = connectionTimeout;
      this.gate = gate;
    }

    boolean isDisposed() {
      return disposal.get() != null;
    }

    <F extends CompletableFuture<?>> F track(F future) {
      inFlight.add(future);
      future.whenComplete((value, failure) -> inFlight.remove(future));
      return future;
    }

    /**
     * R8: new work is refused at once (connect() checks the disposal); work already accepted gets
     * the grace period, measured as "every gate permit is back"; what is still running then is
     * aborted with ResourceClosedException (statements cancelled on the server, transactions rolled
     * back on their lanes), the executors are shut down and awaited, and the pool is closed.
     */
    CompletableFuture<Void> dispose(Engine engine) {
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

  /**
   * Configures an {@link AsyncEngine}: where connections come from (a JDBC URL, for a HikariCP pool
   * the engine owns, or an existing {@code DataSource} it wraps and leaves open), pool sizing,
   * executor mode and per-connection defaults. Not thread-safe; {@link #build()} may be called once.
   */
  public static final class Builder {
    private String url;
    private String username;
    private String password;
    private DataSource dataSource;
    private int maxPoolSize = 10;
    private Integer minIdle;
    private Duration connectionTimeout = Duration.ofSeconds(30);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private Duration idleTimeout = Duration.ofMinutes(10);
    private Duration validationTimeout = Duration.ofSeconds(5);
    private String poolName;
    private final Map<String, String> driverProperties = new LinkedHashMap<>();
    private ExecutionOptions options = ExecutionOptions.defaults();
    private boolean echo;
    private int statementCacheSize = EngineConfig.DEFAULT_STATEMENT_CACHE_SIZE;
    private Dialect dialect;
    private ExceptionTranslator exceptionTranslator;
    private ExecutorMode executorMode = ExecutorMode.AUTO;
    private Integer platformThreads;
    private Duration shutdownGracePeriod = Duration.ofSeconds(30);
    private Integer maxConcurrency;

    private Builder() {}

    /** The JDBC URL of the pool the engine creates, e.g. {@code jdbc:postgresql://host/db}. */
    public Builder url(String jdbcUrl) {
      this.url = jdbcUrl;
      return this;
    }

    /** The database user. */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /** The database password; never logged. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Wraps an existing pool instead of creating one; the engine will not close it. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** Maximum pool size (SQLAlchemy's {@code pool_size + max_overflow}); default 10. */
    public Builder maxPoolSize(int size) {
      this.maxPoolSize = size;
      return this;
    }

    /** Idle connections kept ready; default equal to {@link #maxPoolSize(int)} (HikariCP's advice). */
    public Builder minIdle(int connections) {
      this.minIdle = connections;
      return this;
    }

    /** How long to wait for a connection before {@code PoolTimeoutException}; default 30 s. */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = timeout;
      return this;
    }

    /** Connections older than this are retired (SQLAlchemy's {@code pool_recycle}); default 30 min. */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime = lifetime;
      return this;
    }

    /** Idle connections above {@code minIdle} are closed after this; default 10 min. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** How long a connection validation (SQLAlchemy's {@code pool_pre_ping}) may take; default 5 s. */
    public Builder validationTimeout(Duration timeout) {
      this.validationTimeout = timeout;
      return this;
    }

    /** The pool's name in logs and metrics. */
    public Builder poolName(String name) {
      this.poolName = name;
      return this;
    }

    /** A driver property passed to the JDBC driver (e.g. {@code sslmode}). */
    public Builder driverProperty(String name, String value) {
      this.driverProperties.put(name, value);
      return this;
    }

    /** Log every statement, its parameters and time on {@code io.asyncengine.sql} (SQLAlchemy's {@code echo}). */
    public Builder echo(boolean on) {
      this.echo = on;
      return this;
    }

    /** Per-connection defaults: isolation, statement timeout, fetch size, read-only. */
    public Builder options(ExecutionOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Shortcut for {@code options(options.withIsolation(level))}. */
    public Builder isolationLevel(IsolationLevel level) {
      this.options = options.withIsolation(level);
      return this;
    }

    /** Shortcut for {@code options(options.withStatementTimeout(timeout))}. */
    public Builder statementTimeout(Duration timeout) {
      this.options = options.withStatementTimeout(timeout);
      return this;
    }

    /** Prepared statements kept per physical connection, across checkouts; default 64, 0 disables. */
    public Builder statementCacheSize(int size) {
      this.statementCacheSize = size;
      return this;
    }

    /** Overrides the dialect detected from the URL or the database's product name. */
    public Builder dialect(Dialect dialect) {
      this.dialect = dialect;
      return this;
    }

    /** Translates driver exceptions (the Spring starter raises Spring's types this way). */
    public Builder exceptionTranslator(ExceptionTranslator translator) {
      this.exceptionTranslator = translator;
      return this;
    }

    /** Which threads run database work; default {@link ExecutorMode#AUTO}. */
    public Builder executorMode(ExecutorMode mode) {
      this.executorMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Threads of the {@link ExecutorMode#PLATFORM} pool; default the pool's maximum size. */
    public Builder platformThreads(int threads) {
      this.platformThreads = threads;
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

    /** How long {@code dispose()} lets work in flight finish; default 30 s. */
    public Builder shutdownGracePeriod(Duration grace) {
      this.shutdownGracePeriod = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /**
     * Starts the pool (or inspects the wrapped one) and the executor.
     *
     * @throws IllegalStateException when neither a URL nor a data source was given, or both
     * @throws IllegalArgumentException for a non-positive pool size or negative durations
     * @throws OperationalException when the pool cannot start: driver missing, database unreachable
     */
    public AsyncEngine build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalStateException(url == null
            ? "Set url(jdbcUrl) or dataSource(dataSource) before build()"
            : "Set either url(...) or dataSource(...), not both");
      }
      if (maxPoolSize < 1) {
        throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
      }
      DataSource source;
      boolean owned;
      Dialect resolved;
      if (dataSource != null) {
        source = dataSource;
        owned = false;
        resolved = dialect != null ? dialect : detect(dataSource);
      } else {
        resolved = dialect != null ? dialect : Dialect.forJdbcUrl(url);
        source = createPool(resolved);
        owned = true;
      }
      Engine engine = Engine.create(source, owned,
          new EngineConfig(resolved, options, echo, statementCacheSize, exceptionTranslator));
      ExecutorMode mode = EngineExecutors.resolve(executorMode);
      int threads = platformThreads != null ? platformThreads : effectivePoolSize(resolved);
      ExecutorService executor = EngineExecutors.create(mode, threads);
      int poolSize = source instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : effectivePoolSize(resolved);
      int permits = maxConcurrency != null ? maxConcurrency : poolSize;
      AdmissionGate gate = new AdmissionGate(permits, poolSize, connectionTimeout);
      boolean borrowOnLane = mode == ExecutorMode.VIRTUAL || threads >= permits;
      return new AsyncEngine(engine, new Runtime(executor, mode, borrowOnLane, shutdownGracePeriod, connectionTimeout, gate));
    }

    private int effectivePoolSize(Dialect resolved) {
      return url != null && resolved.isInMemory(url) ? 1 : maxPoolSize;
    }

    private HikariDataSource createPool(Dialect resolved) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(username);
      config.setPassword(password);
      // The connections' resting state matches the default, so a checkout toggles nothing.
      config.setAutoCommit(options.isolation() == IsolationLevel.AUTOCOMMIT);
      config.setMaximumPoolSize(maxPoolSize);
      config.setMinimumIdle(minIdle != null ? minIdle : maxPoolSize);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setMaxLifetime(maxLifetime.toMillis());
      config.setIdleTimeout(idleTimeout.toMillis());
      config.setValidationTimeout(validationTimeout.toMillis());
      config.setPoolName(poolName != null ? poolName : "async-engine-" + resolved.name());
      if (resolved.connectionInitSql() != null) {
        config.setConnectionInitSql(resolved.connectionInitSql());
      }
      Properties properties = new Properties();
      properties.putAll(resolved.driverProperties());
      properties.putAll(driverProperties);
      config.setDataSourceProperties(properties);
      if (resolved.isInMemory(url)) {
        // Each SQLite memory connection is its own database: keep exactly one, forever.
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setMaxLifetime(0);
        config.setIdleTimeout(0);
      }
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new OperationalException("Cannot start the connection pool for " + url + ": " + cause.getMessage(), null, e);
      }
    }

    private static Dialect detect(DataSource dataSource) {
      try (Connection connection = dataSource.getConnection()) {
        return Dialect.forProductName(connection.getMetaData().getDatabaseProductName());
      } catch (SQLException e) {
        throw new OperationalException("Cannot inspect the wrapped DataSource: " + e.getMessage(), null, e);
      }
    }
  }
}
