package io.asyncengine.asyncio;

import io.asyncengine.asyncio.internal.CursorPublisher;
import io.asyncengine.asyncio.internal.EngineEvents;
import io.asyncengine.asyncio.internal.OperationGuard;
import io.asyncengine.asyncio.internal.OperationProbe;
import io.asyncengine.asyncio.internal.StreamHost;
import io.asyncengine.asyncio.internal.StreamSource;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.error.ConcurrentSessionUseException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.concurrent.internal.HandOffFuture;
import io.asyncengine.internal.Futures;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.session.EntityKey;
import io.asyncengine.session.Session;
import io.asyncengine.session.SessionTransaction;
import io.asyncengine.session.internal.SessionAccess;
import io.asyncengine.types.TypeConverter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The async facade of a {@link Session} (SQLAlchemy's {@code AsyncSession}): each I/O operation
 * runs the synchronous session's method on the lane of the session's connection and returns a
 * {@link CompletableFuture}; operations without I/O ({@link #add}, {@link #delete}, {@link
 * #expire}, the state getters) run at once on the calling thread. No session logic lives here.
 *
 * <p>The session borrows a connection from the engine on its first I/O (autobegin) and holds it
 * until {@link #commit()}, {@link #rollback()} or {@link #close()}. Futures complete on the
 * connection's lane thread; the operation counts as finished before its future completes, so the
 * next operation may be started from a dependent stage ({@code thenCompose(v -> session.commit())}).
 *
 * <p>Not for concurrent use (SQLAlchemy's rule too): an operation started while another is in
 * progress (and not cancelled) fails at once with {@link ConcurrentSessionUseException} naming
 * both (a failed future for I/O operations, a thrown exception for the others); the first is
 * unaffected. A stream counts as in progress from subscription until it completes, fails or is
 * cancelled.
 *
 * <p>Cancelling a returned future completes it at once; a running statement is cancelled on the
 * server. The work of an operation cancelled while it ran may take a moment to stop: the next
 * operation waits for it (its future completes later; a calling-thread operation blocks), at most
 * 10 s, then fails with {@link ConcurrentSessionUseException}. An operation cancelled or aborted
 * while it ran leaves the session needing {@link #rollback()} (the engine rolls its transaction
 * back): until then every other operation fails with
 * {@link io.asyncengine.error.PendingRollbackException} naming the interrupted operation.
 *
 * <p>{@link #close()} never blocks: it ends the session at once and releases the connection after
 * the operation in progress; {@link #closeAsync()} says when the session is closed (the rollback of
 * an open transaction follows before the connection is back in the pool).
 */
public final class AsyncSession implements AutoCloseable {

  /** How long the next operation waits for the work of a cancelled one to stop. */
  static final Duration CANCELLED_WORK_WAIT = Duration.ofSeconds(10);

  private static final SessionAccess.Bridge SESSIONS = SessionAccess.bridge();

  private final AsyncEngine engine;
  private final Session session;
  private final OperationGuard guard = new OperationGuard();
  /** An operation interrupted while it ran, not yet reported to the session (which then needs rollback()). */
  private final AtomicReference<@Nullable Throwable> interrupted = new AtomicReference<>();
  private final SessionStreams streams = new SessionStreams();
  private volatile @Nullable AsyncConnection connection;
  private volatile boolean closed;
  private volatile CompletableFuture<?> last = CompletableFuture.completedFuture(null);
  private final AtomicReference<@Nullable CompletableFuture<Void>> closing = new AtomicReference<>();
  /** The engine's listeners, or {@code null}: then operations are neither timed nor reported. */
  private final @Nullable EngineEvents events;

  AsyncSession(AsyncEngine engine, Session session) {
    this.engine = engine;
    this.session = session;
    this.events = engine.events();
  }

  // ---------------------------------------------------------------- no I/O, caller's thread

  /**
   * Makes {@code entity} pending (see {@link Session#add}). Runs on the calling thread.
   *
   * @throws ConcurrentSessionUseException when another operation is in progress
   * @throws ResourceClosedException when the session is closed
   * @throws NullPointerException when {@code entity} is null
   */
  public void add(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    now("add", () -> {
      session.add(entity);
      return null;
    });
  }

  /**
   * {@link #add} for each element; see {@link Session#addAll}. Runs on the calling thread.
   *
   * @throws NullPointerException when {@code entities} is null
   */
  public void addAll(Collection<?> entities) {
    Objects.requireNonNull(entities, "entities must not be null");
    now("addAll", () -> {
      session.addAll(entities);
      return null;
    });
  }

  /**
   * Marks a persistent entity for deletion at the next flush (see {@link Session#delete}); no I/O,
   * so unlike SQLAlchemy's it is not awaitable. Runs on the calling thread.
   *
   * @throws io.asyncengine.error.InvalidRequestException when the entity is not in this session
   * @throws NullPointerException when {@code entity} is null
   */
  public void delete(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    now("delete", () -> {
      session.delete(entity);
      return null;
    });
  }

  /**
   * Removes {@code entity} from the session (see {@link Session#expunge}). Calling thread.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public void expunge(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    now("expunge", () -> {
      session.expunge(entity);
      return null;
    });
  }

  /** Removes every entity from the session. Calling thread. */
  public void expungeAll() {
    now("expungeAll", () -> {
      session.expungeAll();
      return null;
    });
  }

  /**
   * Marks {@code entity} stale (see {@link Session#expire}). Calling thread.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public void expire(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    now("expire", () -> {
      session.expire(entity);
      return null;
    });
  }

  /** Marks every persistent entity stale. Calling thread. */
  public void expireAll() {
    now("expireAll", () -> {
      session.expireAll();
      return null;
    });
  }

  /**
   * The latest instance of {@code entity} (see {@link Session#current}). Calling thread.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> T current(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return now("current", () -> session.current(entity));
  }

  /** Pending entities in add order (SQLAlchemy's {@code new}). Calling thread. */
  public List<Object> newObjects() {
    return now("newObjects", session::newObjects);
  }

  /** Persistent entities with unflushed changes. Calling thread. */
  public List<Object> dirty() {
    return now("dirty", session::dirty);
  }

  /** Entities marked for deletion. Calling thread. */
  public List<Object> deleted() {
    return now("deleted", session::deleted);
  }

  /** A snapshot of the identity map. Calling thread. */
  public Map<EntityKey, Object> identityMap() {
    return now("identityMap", session::identityMap);
  }

  /**
   * Whether {@code entity} is pending or has unflushed changes. Calling thread.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public boolean isModified(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return now("isModified", () -> session.isModified(entity));
  }

  /**
   * Whether the session tracks {@code entity}. Calling thread.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public boolean contains(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return now("contains", () -> session.contains(entity));
  }

  /** Whether the session holds a transaction. Never blocks; no guard (a plain read). */
  public boolean inTransaction() {
    AsyncConnection held = connection;
    return held != null && !held.isClosed() && held.inTransaction();
  }

  /**
   * The session's root transaction (begun explicitly or by the first I/O), or {@code null} when
   * none is open (SQLAlchemy's {@code AsyncSession.get_transaction()}). A plain read as of the
   * operations completed so far, like {@link #inTransaction()}: any thread, never blocks, no
   * guard. Each call returns a new handle; handles of the same transaction are {@code equals}.
   */
  public @Nullable AsyncSessionTransaction getTransaction() {
    AsyncConnection held = connection;
    SessionTransaction current = SESSIONS.transactionOn(session, held == null ? null : held.syncConnection());
    return current == null ? null : new AsyncSessionTransaction(this, current);
  }

  /**
   * The innermost open SAVEPOINT begun by {@link #beginNested()}, or {@code null} (SQLAlchemy's
   * {@code AsyncSession.get_nested_transaction()}). Same reading rules as {@link #getTransaction()}.
   */
  public @Nullable AsyncSessionTransaction getNestedTransaction() {
    AsyncConnection held = connection;
    SessionTransaction current = SESSIONS.nestedTransactionOn(session, held == null ? null : held.syncConnection());
    return current == null ? null : new AsyncSessionTransaction(this, current);
  }

  /** The application's own data about this session. The map is not thread-safe. */
  public Map<String, Object> info() {
    return session.info();
  }

  /** Whether the session was closed. Any thread. */
  public boolean isClosed() {
    return closed;
  }

  /** The engine this session borrows connections from. */
  public AsyncEngine engine() {
    return engine;
  }

  // ---------------------------------------------------------------- I/O, on the lane

  /**
   * The entity with {@code id}; an identity-map hit issues no SQL. See {@link Session#get}.
   *
   * @throws NullPointerException when {@code type} or {@code id} is null
   */
  public <T> CompletableFuture<Optional<T>> get(Class<T> type, Object id) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(id, "id must not be null");
    return submit("get", s -> s.get(type, id));
  }

  /**
   * {@link #get} that fails with {@link io.asyncengine.error.NoResultException} when absent.
   *
   * @throws NullPointerException when {@code type} or {@code id} is null
   */
  public <T> CompletableFuture<T> getOne(Class<T> type, Object id) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(id, "id must not be null");
    return submit("getOne", s -> s.getOne(type, id));
  }

  /** Writes pending changes; see {@link Session#flush()}. */
  public CompletableFuture<Void> flush() {
    return submit("flush", s -> {
      s.flush();
      return null;
    });
  }

  /** Flushes, commits and returns the connection; see {@link Session#commit()}. */
  public CompletableFuture<Void> commit() {
    return submit("commit", s -> {
      s.commit();
      return null;
    });
  }

  /** Rolls back and returns the connection; see {@link Session#rollback()}. */
  public CompletableFuture<Void> rollback() {
    return submit("rollback", s -> {
      s.rollback();
      return null;
    });
  }

  /**
   * Re-reads {@code entity}; completes with the refreshed instance. See {@link Session#refresh}.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> CompletableFuture<T> refresh(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return submit("refresh", s -> s.refresh(entity));
  }

  /**
   * Copies {@code entity}'s state onto the persistent one; see {@link Session#merge}.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> CompletableFuture<T> merge(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return submit("merge", s -> s.merge(entity));
  }

  /**
   * Runs a statement after an autoflush, with positional values for its {@code ?} markers: every
   * element of {@code values} is one value (see {@link Session#execute}). The array is copied before
   * the call returns. Runs on the lane; binding and database failures arrive through the future.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public CompletableFuture<Result> execute(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return submit("execute", sql, copy, s -> s.execute(sql, copy));
  }

  /**
   * Runs a statement after an autoflush with {@code params}: named values for {@code :name} markers
   * ({@code Params.named(map)}) or positional ones. Runs on the lane.
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public CompletableFuture<Result> execute(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return submit("execute", sql, params, s -> s.execute(sql, params));
  }

  /**
   * Every row as managed entities or first-column values (see {@link Session#scalars}); positional
   * values as in {@link #execute(String, Object...)}. Runs on the lane.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> CompletableFuture<List<@Nullable T>> scalars(Class<T> type, String sql,
      @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return submit("scalars", sql, copy, s -> s.scalars(type, sql, copy));
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
    return submit("scalars", sql, params, s -> s.scalars(type, sql, params));
  }

  /**
   * The first row as {@code type}, or null (see {@link Session#scalar}); positional values as in
   * {@link #execute(String, Object...)}. Runs on the lane.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> CompletableFuture<@Nullable T> scalar(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return submit("scalar", sql, copy, s -> s.scalar(type, sql, copy));
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
    return submit("scalar", sql, params, s -> s.scalar(type, sql, params));
  }

  /**
   * The rows of a query as a {@link Flow.Publisher} over a server-side cursor, after an autoflush,
   * with positional values as in {@link #execute(String, Object...)}. Backpressure, cancellation,
   * disposal and task-group scopes as in {@link AsyncConnection#stream(String, Object...)}: each
   * subscription is one operation of the session's connection. The session is in use from
   * subscription until the stream completes, fails, is aborted or is cancelled; a subscription while
   * it is in use or closed fails through {@code onError}. {@code onSubscribe} runs on the subscribing
   * thread, every other signal on the connection's lane.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public Flow.Publisher<Row> stream(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(streams, sql, () -> Params.fromVarargs(copy), Function.identity());
  }

  /**
   * {@link #stream(String, Object...)} with {@code params} (named or positional).
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Flow.Publisher<Row> stream(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new CursorPublisher<>(streams, sql, () -> params, Function.identity());
  }

  /**
   * {@link #stream(String, Object...)} with each row as a managed entity of {@code type} (through
   * the identity map, on the lane), or its first column for a simple type.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Flow.Publisher<T> streamScalars(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Object[] copy = copy(values);
    return new CursorPublisher<>(streams, sql, () -> Params.fromVarargs(copy), scalarMapper(type));
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
    return new CursorPublisher<>(streams, sql, () -> params, scalarMapper(type));
  }

  private <T> Function<Row, T> scalarMapper(Class<T> type) {
    return TypeConverter.isSimpleType(type) ? row -> row.get(0, type) : row -> SESSIONS.manageRow(session, type, row);
  }

  /**
   * Begins the transaction explicitly; fails with {@link io.asyncengine.error.InvalidRequestException}
   * when one is already begun.
   */
  public CompletableFuture<AsyncSessionTransaction> begin() {
    return submit("begin", s -> new AsyncSessionTransaction(this, s.begin()));
  }

  /** Flushes and opens a SAVEPOINT; see {@link Session#beginNested()}. */
  public CompletableFuture<AsyncSessionTransaction> beginNested() {
    return submit("beginNested", s -> new AsyncSessionTransaction(this, s.beginNested()));
  }

  /**
   * Runs blocking-style {@code work} against the synchronous view of this session, on the
   * connection's lane (SQLAlchemy's {@code run_sync}). {@code work} must not keep the view, nor
   * call this async session.
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> runSync(Function<? super Session, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return submit("runSync", work::apply);
  }

  /**
   * Runs blocking-style {@code work} with autoflush off (SQLAlchemy's {@code no_autoflush}).
   *
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> withoutAutoflush(
      Function<? super Session, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    return submit("withoutAutoflush", s -> s.withoutAutoflush(work));
  }

  /**
   * Ends the session now (later operations fail with {@link ResourceClosedException}) and, after
   * the operation in progress, rolls back an open transaction and returns the connection. Never
   * blocks; idempotent.
   */
  @Override
  public void close() {
    closeAsync();
  }

  /**
   * {@link #close()}, with a future completed once the session's work is over and its connection
   * closed; an open transaction is rolled back right after, on the connection's lane, before the
   * connection goes back to the pool (see {@link AsyncConnection#close()}).
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!closing.compareAndSet(null, done)) {
      return closing.get().copy(); // a copy per caller: one caller's cancel must not fail the others'
    }
    closed = true;
    last.handle((value, failure) -> null).thenCompose(ignored -> {
      AsyncConnection held = connection;
      if (held == null || held.isClosed()) {
        session.close();
        connection = null;
        // An evicted connection (a cut-off stream) still holds its admission permit until closed.
        return held == null ? CompletableFuture.<Void>completedFuture(null)
            : held.close().handle((value, failure) -> (Void) null);
      }
      connection = null;
      return held.carry(c -> {
        SESSIONS.attach(session, c);
        session.close();
        return (Void) null;
      }).handle((value, failure) -> held.close()).thenCompose(Function.identity())
          .handle((value, failure) -> (Void) null);
    }).whenComplete((value, failure) -> done.complete(null));
    return done.copy();
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs a no-I/O operation on the calling thread, guarded; after a cancelled operation, once its work stopped. */
  private <T extends @Nullable Object> T now(String operation, Supplier<T> work) {
    ensureOpen();
    OperationGuard.Claim claim = guard.enter(operation);
    try {
      awaitReady(claim);
      takeInterruption();
      return work.get();
    } finally {
      guard.exit(claim);
    }
  }

  /**
   * Blocks the caller until the cancelled operation before {@code claim} has stopped, at most
   * {@link #CANCELLED_WORK_WAIT}; normally a few milliseconds (its statement is cancelled).
   */
  private static void awaitReady(OperationGuard.Claim claim) {
    if (claim.ready().isDone()) {
      return;
    }
    try {
      claim.ready().get(CANCELLED_WORK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw stillStopping(claim);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConcurrentSessionUseException("Interrupted while AsyncSession." + claim.operation()
          + "() waited for the cancelled AsyncSession." + claim.predecessor() + "() to stop");
    } catch (ExecutionException e) {
      // never: the future only ever completes normally
    }
  }

  private static ConcurrentSessionUseException stillStopping(OperationGuard.Claim claim) {
    return new ConcurrentSessionUseException("AsyncSession." + claim.operation() + "() waited "
        + CANCELLED_WORK_WAIT.toSeconds() + " s for the cancelled AsyncSession." + claim.predecessor()
        + "() to stop, and its work is still running (a runSync block that does not return?)");
  }

  /**
   * Hands the session the interruption of an earlier operation, if any: it then needs rollback().
   * Runs while holding the guard, after the interrupted work stopped.
   */
  private void takeInterruption() {
    Throwable cause = interrupted.getAndSet(null);
    if (cause != null) {
      SESSIONS.interrupted(session, cause);
    }
  }

  /**
   * Runs {@code work} against the session on its connection's lane, guarded; reported to the
   * engine's listeners, when installed, as one operation named after {@code operation}.
   */
  <T extends @Nullable Object> CompletableFuture<T> submit(String operation, Function<Session, T> work) {
    return submit(operation, null, null, work);
  }

  /**
   * {@link #submit(String, Function)} of a statement: an observer is told {@code sql} and
   * {@code values} (a {@link Params}, the varargs array, or {@code null}), begun here on the
   * caller's thread; the work runs inside the observation's scope on the lane.
   */
  private <T extends @Nullable Object> CompletableFuture<T> submit(String operation, @Nullable String sql,
      @Nullable Object values, Function<Session, T> work) {
    EngineEvents heard = events;
    if (heard == null) {
      return guarded(operation, work, null);
    }
    OperationProbe probe = heard.begin(OperationKinds.session(operation), sql, values);
    return probe.attach(guarded(operation, work, probe));
  }

  /**
   * Runs {@code work} against the session on its connection's lane, guarded. After an operation
   * whose future was cancelled while its work still ran, it starts once that work has stopped.
   */
  private <T extends @Nullable Object> CompletableFuture<T> guarded(String operation, Function<Session, T> work,
      @Nullable OperationProbe probe) {
    if (closed) {
      return CompletableFuture.failedFuture(new ResourceClosedException("This session is closed"));
    }
    OperationGuard.Claim claim;
    try {
      claim = guard.enter(operation);
    } catch (ConcurrentSessionUseException e) {
      return CompletableFuture.failedFuture(e);
    }
    Operation op = new Operation(operation, claim);
    OperationFuture<T> result = new OperationFuture<>(op);
    AtomicReference<CompletableFuture<T>> task = new AtomicReference<>();
    last = result;
    CompletableFuture<Void> ready = claim.ready().isDone() ? claim.ready()
        : claim.ready().copy().orTimeout(CANCELLED_WORK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    AtomicReference<@Nullable CompletableFuture<AsyncConnection>> connecting = new AtomicReference<>();
    // closed while waiting for a cancelled operation's work to stop: never start on a closed session
    CompletableFuture<AsyncConnection> acquiring = ready.thenCompose(ignored -> {
      if (closed) {
        return CompletableFuture.<AsyncConnection>failedFuture(new ResourceClosedException("This session is closed"));
      }
      CompletableFuture<AsyncConnection> borrowing = connection();
      connecting.set(borrowing);
      return borrowing;
    });
    acquiring.whenComplete((held, failure) -> {
      if (failure != null) {
        if (op.skip()) {
          guard.exit(claim);
        }
        Throwable cause = Futures.unwrap(failure);
        settle(result, null, cause instanceof TimeoutException ? stillStopping(claim) : cause);
        return;
      }
      CompletableFuture<T> running = held.carry(c -> {
        if (!op.start()) {
          return null; // cancelled before it started: the guard was released by the canceller
        }
        try {
          takeInterruption(); // first: the session then names the interrupted operation
          SESSIONS.attach(session, c);
          T value;
          try (OperationScope scope = probe == null ? OperationScope.NONE : probe.openScope()) {
            value = work.apply(session);
          }
          SESSIONS.operationEnded(session, null);
          return value;
        } catch (RuntimeException | Error e) {
          takeInterruption(); // a cancel that stopped this work: named rather than the failure it caused
          SESSIONS.operationEnded(session, e);
          throw e;
        } finally {
          releaseIfDetached(held);
          op.finish();
          guard.exit(claim); // before the future completes, so dependent stages may use the session
        }
      });
      task.set(running);
      running.whenComplete((value, runFailure) -> {
        if (op.isRunning()) {
          // Stopped from outside (a task-group scope, the engine's disposal) while the work runs:
          // the engine rolls the transaction back once it stops.
          interruptedBy(op, Futures.unwrap(runFailure));
        }
        settle(result, value, runFailure == null ? null : Futures.unwrap(runFailure));
      });
      if (result.isCancelled()) {
        running.cancel(true);
      }
    });
    result.whenComplete((value, failure) -> {
      if (result.isCancelled()) {
        acquiring.cancel(true);
        CompletableFuture<AsyncConnection> borrowing = connecting.get();
        if (borrowing != null) {
          borrowing.cancel(true); // a connect still in flight gives up; its connection goes back
        }
        if (op.skip()) {
          guard.exit(claim);
        }
        CompletableFuture<T> running = task.get();
        if (running != null) {
          running.cancel(true);
        }
      }
    });
    return result;
  }

  /**
   * Completes {@code result}, the future the caller holds, where the engine completes futures: the
   * session's own steps complete on the lane's thread, and the caller's continuations must not run
   * there.
   */
  private <T extends @Nullable Object> void settle(OperationFuture<T> result, @Nullable T value,
      @Nullable Throwable failure) {
    engine.settle(result, failure == null ? () -> result.complete(value) : () -> result.completeExceptionally(failure));
  }

  /**
   * The caller gave up on {@code op} while its work may run: the next operation waits for the work
   * to stop, and the session needs rollback() (the engine rolls back a transaction whose operation
   * was stopped). A rollback's own interruption needs no second rollback.
   */
  private void interruptedBy(Operation op, @Nullable Throwable cause) {
    guard.abandon(op.claim);
    if (!op.name.equals("rollback")) {
      CancellationException marker = new CancellationException("AsyncSession." + op.name
          + "() was cancelled or aborted while it ran");
      if (cause != null && !(cause instanceof CancellationException)) {
        marker.initCause(cause);
      }
      op.marker = marker;
      interrupted.compareAndSet(null, marker);
    }
  }

  /**
   * After commit, rollback or close the session has let go of its connection: give it back through
   * the async connection (queued on its lane, so it runs right after the current operation).
   */
  private void releaseIfDetached(AsyncConnection held) {
    if (!SESSIONS.hasConnection(session) && connection == held) {
      connection = null;
      held.close();
    }
  }

  Session sync() {
    return session;
  }

  private CompletableFuture<AsyncConnection> connection() {
    AsyncConnection held = connection;
    if (held != null && !held.isClosed()) {
      return CompletableFuture.completedFuture(held);
    }
    if (held != null) {
      // Evicted under the session (a stream cut off mid-fetch): give its permit back before borrowing.
      connection = null;
      held.close();
    }
    CompletableFuture<AsyncConnection> borrowing = engine.connectForSession();
    CompletableFuture<AsyncConnection> kept = new CompletableFuture<>();
    // whenComplete, not thenApply: a dependent stage cancelled first would never see a connection
    // borrowed at the same moment, and nobody would give it back.
    borrowing.whenComplete((borrowed, failure) -> {
      if (failure != null) {
        kept.completeExceptionally(Futures.unwrap(failure));
        return;
      }
      if (kept.isDone()) {
        borrowed.close(); // the operation was cancelled while its connect was in flight
        return;
      }
      connection = borrowed;
      if (closed) {
        // Closed while the borrow was in flight: closeAsync may have found no connection to give
        // back. Closing twice is harmless.
        borrowed.close();
        kept.completeExceptionally(new ResourceClosedException("This session is closed"));
        return;
      }
      kept.complete(borrowed); // if cancelled meanwhile, the session holds it until closed
    });
    Futures.cancelWith(kept, borrowing); // cancelling the first operation cancels its connect
    return kept;
  }

  private void ensureOpen() {
    if (closed) {
      throw new ResourceClosedException("This session is closed");
    }
  }

  /** Copies the varargs array: the caller may reuse it before the lane runs the operation. */
  private static @Nullable Object @Nullable [] copy(@Nullable Object @Nullable [] values) {
    return values == null ? null : values.clone();
  }

  /**
   * The session as a stream source: a subscription claims the session (its misuse guard) on the
   * subscriber's thread, borrows the connection if the session holds none, autoflushes on the lane
   * before the cursor opens, and gives the session back when the stream ends.
   */
  private final class SessionStreams implements StreamSource {
    /** The claim of the stream in progress (the guard admits one at a time). */
    private volatile OperationGuard.@Nullable Claim claim;

    @Override
    public CompletableFuture<StreamHost> claim() {
      ensureOpen();
      OperationGuard.Claim mine = guard.enter("stream");
      claim = mine;
      CompletableFuture<Void> ready = mine.ready().isDone() ? mine.ready()
          : mine.ready().copy().orTimeout(CANCELLED_WORK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return ready.thenCompose(ignored -> connection()).handle((held, failure) -> {
        if (failure != null) {
          guard.exit(mine);
          Throwable cause = Futures.unwrap(failure);
          throw new CompletionException(cause instanceof TimeoutException ? stillStopping(mine) : cause);
        }
        return held.streamHost();
      });
    }

    @Override
    public @Nullable EngineEvents events() {
      return events;
    }

    @Override
    public String kind() {
      return OperationKinds.SESSION_STREAM;
    }

    @Override
    public void beforeOpen(SqlConnection c) {
      takeInterruption();
      SESSIONS.attach(session, c);
      try {
        SESSIONS.autoflushIfNeeded(session);
      } finally {
        SESSIONS.operationEnded(session, null);
      }
    }

    @Override
    public void release() {
      OperationGuard.Claim mine = claim;
      if (mine != null) {
        guard.exit(mine);
      }
    }
  }

  /**
   * One guarded operation, and who releases its guard: its body when it ran, its canceller when it
   * never did.
   */
  private static final class Operation {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int SKIPPED = 2;
    private static final int FINISHED = 3;
    final String name;
    final OperationGuard.Claim claim;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    /** The interruption this operation reported, withdrawn when its cancel came too late. */
    volatile @Nullable Throwable marker;

    Operation(String name, OperationGuard.Claim claim) {
      this.name = name;
      this.claim = claim;
    }

    boolean start() {
      return state.compareAndSet(QUEUED, RUNNING);
    }

    boolean skip() {
      return state.compareAndSet(QUEUED, SKIPPED);
    }

    void finish() {
      state.set(FINISHED);
    }

    boolean isRunning() {
      return state.get() == RUNNING;
    }

    boolean started() {
      int now = state.get();
      return now == RUNNING || now == FINISHED;
    }
  }

  /**
   * The future of one operation. A cancel reports the interruption before the future completes,
   * so that whatever the caller does next, in any dependent stage, already sees it.
   */
  private final class OperationFuture<T extends @Nullable Object> extends HandOffFuture<T> {
    private final Operation op;

    OperationFuture(Operation op) {
      this.op = op;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (isDone()) {
        return false;
      }
      boolean started = op.started();
      if (started) {
        interruptedBy(op, null);
      }
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      Throwable marker = op.marker;
      if (!cancelled && started && marker != null) {
        interrupted.compareAndSet(marker, null); // completed first: nothing was interrupted
      }
      return cancelled;
    }

    // Dependent stages are plain futures: cancelling one must not cancel the operation.
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }
}
