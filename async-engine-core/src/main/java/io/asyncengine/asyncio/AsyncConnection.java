package io.asyncengine.asyncio;

import io.asyncengine.asyncio.internal.CursorPublisher;
import io.asyncengine.asyncio.internal.EngineErrors;
import io.asyncengine.asyncio.internal.EngineEvents;
import io.asyncengine.asyncio.internal.OperationProbe;
import io.asyncengine.asyncio.internal.StreamHost;
import io.asyncengine.asyncio.internal.StreamSource;
import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.concurrent.internal.Scopes;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.core.Transaction;
import io.asyncengine.core.internal.CoreAccess;
import io.asyncengine.core.internal.OperationControl;
import io.asyncengine.core.internal.RowReading;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.internal.Futures;
import io.asyncengine.internal.Timers;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Result;
import io.asyncengine.mapping.ResultSetMapper;
import io.asyncengine.result.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A connection of an {@link AsyncEngine} (SQLAlchemy's {@code AsyncConnection}): a thin proxy that
 * runs each call of the synchronous {@link SqlConnection} on this connection's lane and returns a
 * {@link CompletableFuture}.
 *
 * <p>Operations run one after another in submission order, whatever thread submits them; callers
 * are never blocked. Futures complete on the lane's thread, so dependent stages
 * ({@code thenApply}, …) run there unless given an executor: keep them short and never block on
 * another operation of the same connection inside one.
 *
 * <p>Cancelling a returned future completes it at once with a {@code CancellationException}; a
 * queued operation is skipped; a running one has its statement cancelled on the server (repeated
 * until it stops) and, before the next operation runs, the open transaction rolled back; a
 * connection whose state cannot be known afterwards (a failed rollback, a stream cut off mid-way)
 * is evicted from the pool. A cancel that would let work queued behind it run or commit without it
 * (a transaction open before it, or operations already queued behind it) invalidates the
 * transaction: later statements, {@code begin} and {@code commit}, the queued ones included, fail
 * with {@link io.asyncengine.error.PendingRollbackException} naming the cancelled operation until
 * {@link #rollback()}. See docs/concurrency.md.
 *
 * <p>A subscription to {@link #stream} is an operation too: the engine's disposal, a cancelled
 * task-group scope and this view's {@link #timeout(Duration)} end it the same way, and the
 * subscriber gets the cause through {@code onError}.
 *
 * <p>Transactions follow SQLAlchemy 2.0: the first statement autobegins one; {@link #commit()}
 * commits; {@link #close()} rolls back what was not committed and returns the connection to the
 * pool, the rollback after its future completes and before the connection is back. Values: in {@code Object... values} every element is one positional value; named values
 * go through the overloads taking {@link Params} ({@code Params.named(map)}). Errors are as in
 * {@link SqlConnection}; failures arrive through the future (or {@code onError}).
 */
public final class AsyncConnection {

  private final AsyncEngine engine;
  private final SqlConnection connection;
  private final OperationControl control;
  private final Lane lane;
  private final Runnable release;
  private final @Nullable Duration timeout;
  private final Shared shared;
  /** The engine's listeners, or {@code null}: then operations are neither timed nor reported. */
  private final @Nullable EngineEvents events;
  private final EngineErrors errors;

  /**
   * What the views of one connection share: its operations in flight (streams too), whether it is
   * doomed, and the submission order the cancel rules of {@link Turn} need.
   */
  private static final class Shared {
    final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** The subset of {@link #inFlight} that are streams, ended when the connection closes. */
    final Set<CompletableFuture<?>> streams = ConcurrentHashMap.newKeySet();
    volatile boolean doomed;
    /**
     * Set on the lane when {@link #close()} left the rollback for after the caller's future: the
     * permit is then given back by that rollback's step, never by a later close or invalidate.
     */
    volatile boolean returning;
    /**
     * Held while a task is numbered and queued, so that numbers follow the lane's order. A lock,
     * not {@code synchronized}: a virtual thread that parks inside the executor's queue must not pin
     * its carrier.
     */
    final ReentrantLock order = new ReentrantLock();
    /** Lane tasks submitted so far through {@link #enqueue}; written under {@link #order}. */
    volatile long submitted;
    /**
     * The caller's operations not yet reached by the lane, in submission order (it is the lane's
     * order: both are appended under {@link #order}). The lane drops each when it reaches it or
     * a later task; one it passes without having started it was skipped by a cancel.
     */
    final Queue<Turn> turns = new ConcurrentLinkedQueue<>();
  }

  /**
   * One operation of the caller, for the rule that a cancel must not let work queued behind it
   * commit without it: where it stood in the submission order, whether its body started (on the
   * lane) and inside a transaction, and how many tasks had been submitted when it was cancelled.
   */
  private static final class Turn {
    final String kind;
    final long position;
    volatile boolean started;
    volatile boolean transactionAtStart;
    /** Whether {@link #cancelledRunning} judged it. */
    volatile boolean recovered;
    /** What its body threw, to tell it from a cancel or abort that completed its future. */
    volatile @Nullable Throwable bodyFailure;
    /** Its lane task; set under {@link Shared#order} before any later task is queued. */
    @Nullable CompletableFuture<?> future;
    /** {@link Shared#submitted} when the operation was cancelled or aborted; -1 before that. */
    volatile long submittedAtCancel = -1;

    Turn(String kind, long position) {
      this.kind = kind;
      this.position = position;
    }

    /** Whether cancelling it can cost a transaction nothing but its own work (a rollback, an isolation change). */
    boolean harmless() {
      return kind.equals(OperationKinds.ROLLBACK) || kind.equals(OperationKinds.ISOLATION);
    }

    /**
     * Whether a cancel or an abort completed its future although its body ran: too late for the
     * stop hook, so no recovery ran, and its work is in the transaction.
     */
    boolean stoppedAfterItsWork() {
      CompletableFuture<?> task = future;
      if (recovered || task == null || !task.isCompletedExceptionally()) {
        return false;
      }
      Throwable failure = task.handle((value, thrown) -> thrown).join();
      return failure != bodyFailure;
    }

    /** Whether tasks had been queued behind it when it was cancelled. */
    boolean workQueuedBehind(long submittedNow) {
      long at = submittedAtCancel;
      return (at < 0 ? submittedNow : at) > position;
    }
  }

  AsyncConnection(AsyncEngine engine, SqlConnection connection, Lane lane, Runnable release) {
    this(engine, connection, lane, release, null, new Shared());
  }

  private AsyncConnection(AsyncEngine engine, SqlConnection connection, Lane lane, Runnable release,
      @Nullable Duration timeout, Shared shared) {
    this.engine = engine;
    this.connection = connection;
    this.control = CoreAccess.control(connection);
    this.lane = lane;
    this.release = release;
    this.timeout = timeout;
    this.shared = shared;
    this.events = engine.events();
    this.errors = engine.errors();
  }

  /**
   * A view of this connection (same lane, same transaction) whose every operation has a deadline
   * of {@code timeout} from its submission (anyio's {@code fail_after} per operation), a stream's
   * from its subscription to its end. Reaching it
   * cancels the statement on the server, rolls back the open transaction and fails the operation's
   * future with {@link io.asyncengine.error.StatementTimeoutException}. Closing the view closes
   * this connection. Unlike the server-side {@code statementTimeout} option, the deadline also
   * counts time queued on the lane and covers every statement of a {@link #runSync} block.
   *
   * @throws IllegalArgumentException when {@code timeout} is not positive
   * @throws NullPointerException when {@code timeout} is null
   */
  public AsyncConnection timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new AsyncConnection(engine, connection, lane, release, timeout, shared);
  }

  /** The per-operation deadline of this view, or null for none. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /**
   * Runs a statement with positional values for its {@code ?} markers (see
   * {@link SqlConnection#execute(String, Object...)}); every element of {@code values} is one value.
   * The array is copied before the call returns. Runs on the lane; the future fails with
   * {@link io.asyncengine.error.ParameterBindingException} when the values do not fit the markers,
   * and with the database's error translated.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public CompletableFuture<Result> execute(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    Params params = Params.fromVarargs(copy(values));
    return submit(OperationKinds.EXECUTE, sql, params, () -> connection.execute(sql, params));
  }

  /**
   * Runs a statement with {@code params}: named values for {@code :name} markers
   * ({@code Params.named(map)}) or positional ones ({@code Params.of(...)}). Runs on the lane;
   * failures as in {@link #execute(String, Object...)}.
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public CompletableFuture<Result> execute(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return submit(OperationKinds.EXECUTE, sql, params, () -> connection.execute(sql, params));
  }

  /**
   * Runs a statement once per element of {@code batch} as a JDBC batch; see {@link SqlConnection#executeMany}.
   *
   * @throws NullPointerException when {@code sql} or {@code batch} is null
   */
  public CompletableFuture<int[]> executeMany(String sql, List<? extends Params> batch) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(batch, "batch must not be null");
    List<? extends Params> copy = List.copyOf(batch);
    return submit(OperationKinds.EXECUTE_MANY, sql, copy, () -> connection.executeMany(sql, copy));
  }

  /**
   * The first column of the first row converted to {@code type}, or {@code null} when there is no
   * row; positional values as in {@link #execute(String, Object...)}. Runs on the lane.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> CompletableFuture<@Nullable T> scalar(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Params params = Params.fromVarargs(copy(values));
    return submit(OperationKinds.SCALAR, sql, params, () -> connection.execute(sql, params).scalar(type));
  }

  /**
   * {@link #scalar(Class, String, Object...)} with {@code params} (named or positional). Runs on the lane.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> CompletableFuture<@Nullable T> scalar(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return submit(OperationKinds.SCALAR, sql, params, () -> connection.execute(sql, params).scalar(type));
  }

  /**
   * The first column of every row converted to {@code type}; positional values as in
   * {@link #execute(String, Object...)}. Runs on the lane.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> CompletableFuture<List<@Nullable T>> scalars(Class<T> type, String sql,
      @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Params params = Params.fromVarargs(copy(values));
    return submit(OperationKinds.SCALARS, sql, params, () -> connection.execute(sql, params).scalars(type));
  }

  /**
   * {@link #scalars(Class, String, Object...)} with {@code params} (named or positional). Runs on the lane.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> CompletableFuture<List<@Nullable T>> scalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return submit(OperationKinds.SCALARS, sql, params, () -> connection.execute(sql, params).scalars(type));
  }

  /**
   * The rows of a query as a {@link Flow.Publisher} over a server-side cursor, with positional
   * values as in {@link #execute(String, Object...)} (the array is copied now). Each subscription
   * runs the query again and is one operation of this connection, like a call that returns a
   * future: it ends with the engine's disposal, with a task-group scope cancelled around the thread
   * that subscribes, and with this view's {@link #timeout(Duration)}, counted from subscription to
   * the end of the stream; the subscriber then gets {@code onError} with the cause
   * ({@link io.asyncengine.error.ResourceClosedException}, {@code CancellationException},
   * {@link io.asyncengine.error.StatementTimeoutException}) and the statement is stopped as any
   * operation's is. Nothing runs until rows are requested; no more rows than requested are emitted,
   * at most 256 per turn on the lane; cancelling the subscription closes the cursor (a fetch in
   * progress is stopped, and the connection then recovered). {@code onSubscribe} runs on the
   * subscribing thread, every other signal on the connection's lane.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public Flow.Publisher<Row> stream(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(new Streams(), sql, () -> Params.fromVarargs(copy), RowReading.rows());
  }

  /**
   * {@link #stream(String, Object...)} with {@code params} (named or positional).
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Flow.Publisher<Row> stream(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new CursorPublisher<>(new Streams(), sql, () -> params, RowReading.rows());
  }

  /**
   * The first column of each streamed row, converted to {@code type} on the lane; see
   * {@link #stream(String, Object...)}. A {@code Flow.Publisher} cannot emit null, so a NULL first
   * column ends the stream with {@code onError(InvalidRequestException)} naming the fix.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Flow.Publisher<T> streamScalars(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(new Streams(), sql, () -> Params.fromVarargs(copy), RowReading.firstColumn(type));
  }

  /**
   * {@link #streamScalars(Class, String, Object...)} with {@code params} (named or positional).
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> Flow.Publisher<T> streamScalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new CursorPublisher<>(new Streams(), sql, () -> params, RowReading.firstColumn(type));
  }

  /**
   * The rows of a query mapped to {@code type} (a record, a POJO, or a simple type for a one-column
   * result) on the lane; otherwise as {@link #stream(String, Object...)}. Each item is what
   * {@code row.as(type)} gives for the row (the same values, the same
   * {@link io.asyncengine.error.MappingException}, naming the column, through {@code onError}), read
   * without a {@code Row}: the mapping is planned once when the cursor opens, each column read with
   * the getter its SQL type and the property's type call for ({@code getLong}, {@code getString},
   * {@code getDouble} on PostgreSQL and MariaDB; {@code getObject} and the usual conversion
   * otherwise), and a record built from those reads directly. The fastest way to stream typed rows.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Flow.Publisher<T> stream(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(new Streams(), sql, () -> Params.fromVarargs(copy), RowReading.as(type));
  }

  /**
   * {@link #stream(Class, String, Object...)} with {@code params} (named or positional).
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> Flow.Publisher<T> stream(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new CursorPublisher<>(new Streams(), sql, () -> params, RowReading.as(type));
  }

  /**
   * The rows of a query read by {@code mapper} straight from the JDBC result set (Spring's
   * {@code RowMapper}); otherwise as {@link #stream(String, Object...)}. The mapper runs on the
   * connection's lane, once per row, possibly up to 64 rows ahead of the rows emitted; see
   * {@link ResultSetMapper} for what it may not do. An {@code SQLException} it throws ends the
   * stream with {@code onError} as any database error; anything else it throws, as is; a
   * {@code null} it returns, with {@link io.asyncengine.error.InvalidRequestException} (a
   * {@code Flow.Publisher} cannot emit null).
   *
   * @throws NullPointerException when {@code mapper} or {@code sql} is null
   */
  public <T> Flow.Publisher<T> stream(ResultSetMapper<T> mapper, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(mapper, "mapper must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(new Streams(), sql, () -> Params.fromVarargs(copy), RowReading.mapped(mapper));
  }

  /**
   * {@link #stream(ResultSetMapper, String, Object...)} with {@code params} (named or positional).
   *
   * @throws NullPointerException when {@code mapper}, {@code sql} or {@code params} is null
   */
  public <T> Flow.Publisher<T> stream(ResultSetMapper<T> mapper, String sql, Params params) {
    Objects.requireNonNull(mapper, "mapper must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new CursorPublisher<>(new Streams(), sql, () -> params, RowReading.mapped(mapper));
  }

  /**
   * Begins the transaction explicitly. Fails with {@link io.asyncengine.error.InvalidRequestException}
   * when one is already begun.
   */
  public CompletableFuture<AsyncTransaction> begin() {
    return submit(OperationKinds.BEGIN, () -> new AsyncTransaction(this, connection.begin()));
  }

  /** Opens a SAVEPOINT, beginning the outer transaction first if needed. */
  public CompletableFuture<AsyncTransaction> beginNested() {
    return submit(OperationKinds.BEGIN_NESTED, () -> new AsyncTransaction(this, connection.beginNested()));
  }

  /**
   * Commits the current transaction, if any. Runs on the lane; fails with
   * {@link io.asyncengine.error.PendingRollbackException} (nothing committed) after a cancel
   * invalidated the transaction.
   */
  public CompletableFuture<Void> commit() {
    return run(OperationKinds.COMMIT, connection::commit);
  }

  /**
   * Rolls back the current transaction, if any, and ends the pending-rollback state a cancelled
   * operation left (see the class comment). Runs on the lane.
   */
  public CompletableFuture<Void> rollback() {
    return run(OperationKinds.ROLLBACK, connection::rollback);
  }

  /**
   * Closes the connection once every operation submitted before has finished: later operations
   * fail with {@link ResourceClosedException}, and a stream still open ends with it. An open
   * transaction is rolled back and the connection returned to the pool, on the lane, in that order:
   * nobody else can borrow it before the rollback is done, and a connection whose rollback fails
   * (or takes longer than the engine's connection timeout) is evicted instead of returned.
   *
   * <p>The future does not wait for that rollback: it completes (on the lane, or where the engine
   * hands continuations) as soon as the connection is closed for its user, and the rollback runs on
   * the lane right after. So the connection, and its admission permit, are back a round trip after
   * the future completes; {@link AsyncEngine#dispose()} waits for them. A connection with nothing to
   * roll back (nothing was begun, or it was committed) is returned before the future completes.
   * Idempotent; any thread; never blocks.
   */
  public CompletableFuture<Void> close() {
    return lane.submit(() -> {
      if (control.detach()) {
        // The round trip of the rollback does not stand between the caller and its result; the
        // connection stays out of the pool, holding its permit, until it is done.
        shared.returning = true;
        endStreams();
        lane.execute(this::returnDetached);
        return null;
      }
      try {
        connection.close();
      } finally {
        releaseUnlessReturning();
        endStreams();
      }
      return null;
    }, null);
  }

  /** On the lane, after {@link #close()} detached the connection: rolls back, then gives it and its permit back. */
  private void returnDetached() {
    try {
      control.returnDetached(engine.sync().connectionTimeout());
    } finally {
      release.run();
    }
  }

  /** Gives the permit back, unless a detached connection's rollback still has it (it gives it back itself). */
  private void releaseUnlessReturning() {
    if (!shared.returning) {
      release.run();
    }
  }

  /** Whether a transaction is open, as of the operations completed so far. Never blocks. */
  public boolean inTransaction() {
    return connection.inTransaction();
  }

  /** Whether a SAVEPOINT is open, as of the operations completed so far. Never blocks. */
  public boolean inNestedTransaction() {
    return connection.inNestedTransaction();
  }

  /**
   * The current root transaction (begun explicitly or by a statement), or {@code null} when none
   * is open (SQLAlchemy's {@code AsyncConnection.get_transaction()}). A plain read as of the
   * operations completed so far, like {@link #inTransaction()}: any thread, never blocks, no I/O.
   * Each call returns a new handle; handles of the same transaction are {@code equals}, and their
   * operations run on this view's lane.
   */
  public @Nullable AsyncTransaction getTransaction() {
    Transaction current = connection.getTransaction();
    return current == null ? null : new AsyncTransaction(this, current);
  }

  /**
   * The innermost open SAVEPOINT, or {@code null} when none is open (SQLAlchemy's
   * {@code AsyncConnection.get_nested_transaction()}). Same reading rules as
   * {@link #getTransaction()}: any thread, never blocks.
   */
  public @Nullable AsyncTransaction getNestedTransaction() {
    Transaction current = connection.getNestedTransaction();
    return current == null ? null : new AsyncTransaction(this, current);
  }

  /**
   * A mutable map for the application's own data about this connection (SQLAlchemy's
   * {@code AsyncConnection.info}): the synchronous connection's {@link SqlConnection#info()},
   * shared by every view of this connection. It lives for this checkout only (empty at
   * {@code connect()}, never seen by the pooled connection's next user). Thread-safe; any thread.
   */
  public Map<String, Object> info() {
    return connection.info();
  }

  /** The synchronous connection this one proxies, for the session facade's state reads. */
  SqlConnection syncConnection() {
    return connection;
  }

  /** Whether the connection was closed or invalidated. Never blocks. */
  public boolean isClosed() {
    return connection.isClosed();
  }

  /** The isolation level in force. */
  public CompletableFuture<IsolationLevel> isolationLevel() {
    return submit(OperationKinds.ISOLATION, connection::isolationLevel);
  }

  /**
   * Sets the isolation level for the next transaction; fails with
   * {@link io.asyncengine.error.InvalidRequestException} inside a transaction.
   *
   * @return a future of this connection, for chaining
   * @throws NullPointerException when {@code level} is null
   */
  public CompletableFuture<AsyncConnection> withIsolation(IsolationLevel level) {
    Objects.requireNonNull(level, "level must not be null");
    return submit(OperationKinds.ISOLATION, () -> {
      connection.withIsolation(level);
      return this;
    });
  }

  /**
   * Evicts the physical connection from the pool and closes this connection. After {@link #close()}
   * it does nothing (the connection is already closed, or on its way back).
   */
  public CompletableFuture<Void> invalidate() {
    return lane.submit(() -> {
      try {
        connection.invalidate();
      } finally {
        releaseUnlessReturning();
        endStreams();
      }
      return null;
    }, null);
  }

  /**
   * Runs {@code work} on this connection's lane with the blocking view (SQLAlchemy's
   * {@code run_sync}): the way to use several statements as one step, or the raw JDBC connection
   * ({@code runSync(c -> c.jdbc())}). {@code work} must not keep the view beyond its return.
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runSync(Function<? super SqlConnection, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return submit(OperationKinds.RUN_SYNC, () -> work.apply(connection));
  }

  /**
   * Runs a session operation's work on this connection's lane: an operation of kind
   * {@code connection.run_sync} for cancels and the transaction, as {@link #runSync} is, but heard
   * by no listener or observer (they hear the session's operation), and completed on the lane's
   * thread, so the session's own continuation goes on there without a hand-off. The session
   * completes the future its caller holds where the engine completes futures
   * ({@link AsyncEngine#settle}). What depends on the returned future must never block.
   */
  <T extends @Nullable Object> CompletableFuture<T> carry(Function<? super SqlConnection, ? extends T> work) {
    return submit(() -> work.apply(connection), OperationKinds.RUN_SYNC, true);
  }

  /** The engine this connection came from. */
  public AsyncEngine engine() {
    return engine;
  }

  CompletableFuture<Void> run(String kind, Runnable action) {
    return submit(kind, () -> {
      action.run();
      return null;
    });
  }

  /**
   * Runs {@code work} inside a transaction and completes {@code result}: commit on success,
   * rollback on failure or when {@code result} is cancelled; the connection is closed either way
   * (on failure, {@link #close()} does the rollback, after {@code result} completes).
   * Called on the lane or any thread.
   */
  <T extends @Nullable Object> void runTransaction(Function<? super AsyncConnection, ? extends CompletionStage<T>> work,
      CompletableFuture<T> result) {
    // The callback's stage may be a plain future (thenCompose chains) that does not reach the lane
    // when cancelled: when the result fails or is cancelled, doom the connection instead, so that
    // every operation in flight is stopped and every later one the callback submits fails at once.
    result.whenComplete((value, failure) -> {
      if (failure != null) {
        shared.doomed = true;
        for (CompletableFuture<?> operation : List.copyOf(shared.inFlight)) {
          operation.cancel(true);
        }
      }
    });
    begin()
        .thenCompose(tx -> {
          CompletionStage<T> stage = work.apply(this);
          if (stage == null) {
            throw new IllegalStateException("The transaction callback returned null instead of a CompletionStage");
          }
          CompletableFuture<T> future = stage.toCompletableFuture();
          Futures.cancelWith(result, future);
          return future;
        })
        .whenComplete((value, failure) -> {
          if (failure == null && !result.isDone()) {
            internal(() -> {
              connection.commit();
              return null;
            }).whenComplete((ignored, commitFailure) -> close().whenComplete((closed, closeFailure) -> {
              if (commitFailure != null) {
                result.completeExceptionally(Futures.unwrap(commitFailure));
              } else {
                result.complete(value);
              }
            }));
          } else {
            // close() rolls back after the caller hears the failure, before anyone else can borrow
            // the connection; a rollback that fails evicts it.
            close().whenComplete((closed, closeFailure) -> {
              if (failure != null) {
                result.completeExceptionally(Futures.unwrap(failure));
              }
            });
          }
        });
  }

  /** An operation of the engine's own (commit, rollback at the end of inTransaction, a stream's step): never doomed. */
  private <T extends @Nullable Object> CompletableFuture<T> internal(Callable<T> task) {
    return enqueue(null, task);
  }

  /**
   * Queues {@code task} on the lane with the operation controls. With a {@code kind} it is an
   * operation of the caller, and a cancel of it is judged by {@link #cancelledRunning} or
   * {@link #cancelledQueued}; every task first settles the operations skipped before it.
   */
  private <T extends @Nullable Object> CompletableFuture<T> enqueue(@Nullable String kind, Callable<T> task) {
    return enqueue(kind, task, false);
  }

  /** {@link #enqueue(String, Callable)}; with {@code completeOnLane} the future completes on the lane's thread. */
  private <T extends @Nullable Object> CompletableFuture<T> enqueue(@Nullable String kind, Callable<T> task,
      boolean completeOnLane) {
    shared.order.lock();
    try {
      long position = shared.submitted + 1;
      shared.submitted = position;
      Turn turn = kind == null ? null : new Turn(kind, position);
      Callable<T> translated = errors.translating(task);
      Callable<T> body = () -> {
        settleSkipped(position);
        if (turn == null) {
          return translated.call();
        }
        turn.transactionAtStart = connection.inTransaction();
        turn.started = true;
        try {
          return translated.call();
        } catch (Throwable failure) {
          turn.bodyFailure = failure; // exactly what completes the future
          throw failure;
        }
      };
      Runnable recovery = turn == null ? control::recoverFromCancel : () -> cancelledRunning(turn);
      CompletableFuture<T> future = lane.submit(body, control::cancelOperation, recovery, control::endOperation,
          completeOnLane);
      if (turn != null) {
        turn.future = future;
        shared.turns.add(turn);
        future.whenComplete((value, failure) -> {
          if (failure != null) {
            turn.submittedAtCancel = shared.submitted;
          }
        });
      }
      return future;
    } finally {
      shared.order.unlock();
    }
  }

  /**
   * On the lane, before the task at {@code position} runs: every caller's operation submitted
   * before it has had its turn, so one that never started was skipped by a cancel.
   */
  private void settleSkipped(long position) {
    Turn turn;
    while ((turn = shared.turns.peek()) != null && turn.position < position) {
      shared.turns.poll();
      if (!turn.started) {
        cancelledQueued(turn);
      } else if (turn.stoppedAfterItsWork()) {
        cancelledLate(turn);
      }
    }
  }

  /**
   * On the lane, after an operation whose cancel came as its body returned: the caller was told it
   * was cancelled, so it is judged as one cancelled while running, its work rolled back with the
   * transaction when that is invalidated.
   */
  private void cancelledLate(Turn turn) {
    if (connection.isClosed() || turn.harmless()) {
      return;
    }
    if (turn.transactionAtStart || (connection.inTransaction() && turn.workQueuedBehind(shared.submitted))) {
      control.invalidateTransaction(turn.kind, false);
    }
  }

  /**
   * On the lane, after the body of an operation cancelled (or aborted) while it ran: roll back as
   * every cancel does, and invalidate the transaction when the rollback took work of earlier
   * operations with it, or when operations were already queued behind it for the same transaction.
   */
  private void cancelledRunning(Turn turn) {
    turn.recovered = true;
    boolean transactionOpen = connection.inTransaction();
    control.recoverFromCancel();
    if (!turn.harmless() && (turn.transactionAtStart || (transactionOpen && turn.workQueuedBehind(shared.submitted)))) {
      control.invalidateTransaction(turn.kind, true);
    }
  }

  /**
   * On the lane, where an operation cancelled while queued would have run: invalidate the
   * transaction when one is open (it would commit without the skipped step), or when operations
   * were queued behind it that would have joined the transaction it was to begin.
   */
  private void cancelledQueued(Turn turn) {
    if (turn.harmless() || connection.isClosed()) {
      return;
    }
    boolean beginsTransaction = control.autobegins() && !turn.kind.equals(OperationKinds.COMMIT);
    if (connection.inTransaction() || (beginsTransaction && turn.workQueuedBehind(shared.submitted))) {
      control.invalidateTransaction(turn.kind, false);
    }
  }

  /**
   * {@link #submit(Callable, String)}, reported to the engine's listeners as one operation of {@code kind}
   * when they are installed; without them, nothing but this branch.
   */
  private <T extends @Nullable Object> CompletableFuture<T> submit(String kind, Callable<T> task) {
    return submit(kind, null, null, task);
  }

  /**
   * {@link #submit(Callable, String)} of a statement's work, measured when the engine has listeners
   * or an observer: begun here on the caller's thread (an observer is told {@code sql} and
   * {@code values}: a {@link Params}, a {@code List<Params>} or {@code null}), its JDBC work inside
   * the observation's scope on the lane, ended when its future completes. Without either, nothing
   * but this branch.
   */
  private <T extends @Nullable Object> CompletableFuture<T> submit(String kind, @Nullable String sql,
      @Nullable Object values, Callable<T> task) {
    EngineEvents heard = events;
    if (heard == null) {
      return submit(task, kind);
    }
    OperationProbe probe = heard.begin(kind, sql, values);
    return probe.attach(submit(probe.scoped(task), kind));
  }

  /**
   * Every operation: has a cancel scope of its own on the connection, is tracked for disposal, linked
   * to the caller's task-group scope, and armed with this view's deadline. A cancel while it runs
   * cancels its statement (or the next one it starts) and, on the lane before the next operation,
   * rolls back the open transaction (evicting the connection if that fails). A cancel that would let
   * work queued behind it run or commit without it invalidates the transaction (see {@link Turn}).
   */
  private <T extends @Nullable Object> CompletableFuture<T> submit(Callable<T> task, String kind) {
    return submit(task, kind, false);
  }

  /** {@link #submit(Callable, String)}; with {@code completeOnLane} the future completes on the lane's thread. */
  private <T extends @Nullable Object> CompletableFuture<T> submit(Callable<T> task, String kind,
      boolean completeOnLane) {
    if (shared.doomed) {
      CompletableFuture<T> refused = new CompletableFuture<>();
      refused.cancel(false);
      return refused;
    }
    return Scopes.link(admit(enqueue(kind, task, completeOnLane)));
  }

  /**
   * Makes {@code operation} one operation of this connection (everything {@link #submit} does but
   * the scope link, which belongs to the caller's thread): counted in flight, so that a doomed
   * connection cancels it (at once when already doomed), tracked for the engine's disposal, and
   * aborted with {@link StatementTimeoutException} when this view's deadline passes. Any thread.
   */
  private <F extends CompletableFuture<?>> F admit(F operation) {
    shared.inFlight.add(operation);
    operation.whenComplete((value, failure) -> shared.inFlight.remove(operation));
    if (shared.doomed) {
      operation.cancel(true); // doomed before or while it was registered
    }
    engine.track(operation);
    if (timeout != null) {
      Duration limit = timeout;
      ScheduledFuture<?> timer = Timers.after(limit, () -> Lane.abort(operation, errors.translate(new StatementTimeoutException(
          "The operation ran past its timeout of " + limit.toMillis() + " ms and was cancelled"))));
      operation.whenComplete((value, failure) -> timer.cancel(false));
    }
    return operation;
  }

  /**
   * After close or invalidate, on the lane: a stream still open can never read again, so it ends
   * with {@link ResourceClosedException} instead of waiting for a request that would find its cursor
   * closed.
   */
  private void endStreams() {
    ResourceClosedException closed = null;
    for (CompletableFuture<?> stream : List.copyOf(shared.streams)) {
      if (closed == null) {
        closed = new ResourceClosedException("The connection was closed while this stream was open");
      }
      Lane.abort(stream, closed);
    }
  }

  /** This view as a stream's host: a subscription is one operation, its steps lane tasks like {@link #submit}'s. */
  StreamHost streamHost() {
    return new Streams();
  }

  /** How this view's streams reach it; one per publisher, so that a publisher keeps the view's timeout. */
  private final class Streams implements StreamHost, StreamSource {
    @Override
    public CompletableFuture<StreamHost> claim() {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public SqlConnection connection() {
      return connection;
    }

    @Override
    public @Nullable EngineEvents events() {
      return events;
    }

    @Override
    public String kind() {
      return OperationKinds.STREAM;
    }

    @Override
    public Throwable translated(Throwable failure) {
      return errors.translate(failure);
    }

    @Override
    public void admit(CompletableFuture<?> operation) {
      shared.streams.add(operation);
      operation.whenComplete((value, failure) -> shared.streams.remove(operation));
      AsyncConnection.this.admit(operation);
    }

    @Override
    public CompletableFuture<Void> step(Runnable body) {
      return internal(() -> {
        body.run();
        return null;
      });
    }

    @Override
    public CompletableFuture<Void> cleanup(Runnable body) {
      return lane.submit(() -> {
        body.run();
        return null;
      }, null);
    }

    @Override
    public void recover() {
      control.recoverFromCancel();
    }
  }

  /** Copies the varargs array: the caller may reuse it before the lane runs the operation. */
  private static @Nullable Object @Nullable [] copy(@Nullable Object @Nullable [] values) {
    return values == null ? null : values.clone();
  }
}
