package io.asyncengine.session;

import io.asyncengine.core.Engine;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.core.Transaction;
import io.asyncengine.error.DatabaseException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.session.internal.EntityPersister;
import io.asyncengine.session.internal.EntityState.Status;
import io.asyncengine.session.internal.EntityState;
import io.asyncengine.session.internal.IdCoercion;
import io.asyncengine.session.internal.IdentityMap;
import io.asyncengine.session.internal.SessionAccess;
import io.asyncengine.types.TypeConverter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work over records and POJOs (SQLAlchemy's {@code Session}): the blocking layer that
 * {@code AsyncSession} proxies and {@code AsyncSession.runSync} hands out. Every feature of the
 * session is written here, once.
 *
 * <p>Transactions follow SQLAlchemy 2.0: the first operation that needs the database borrows a
 * connection from the engine and begins a transaction (autobegin); {@link #commit()} flushes,
 * commits and returns the connection; {@link #rollback()} rolls back, returns it and discards
 * pending changes; {@link #close()} does the same and ends the session.
 *
 * <p>Objects: {@link #add} makes an object pending; {@link #flush()} INSERTs pending objects in
 * add order, then UPDATEs dirty persistent ones (changed columns only), then DELETEs the deleted
 * ones. Loaded and flushed objects live in the identity map, keyed by {@link EntityKey}, so one
 * row is one Java object per session. POJOs are changed in place and written back (generated ids,
 * versions, refreshed values); records are immutable, so the session replaces them: {@link
 * #current(Object)} gives the latest instance and {@link #merge} stores a changed copy.
 *
 * <p>Structure: this class is the API and the transaction flow; what the session tracks lives in
 * an {@code IdentityMap}, and each entity class's SQL (built once, from validated and quoted
 * names, every value bound) in a cached {@code EntityPersister}.
 *
 * <p>Thread: not thread-safe; one thread at a time (the async facade runs it on its connection's
 * lane). A failed flush or commit rolls the transaction back and leaves the session needing {@link
 * #rollback()}: other operations throw {@link PendingRollbackException}, naming the failure, until
 * then. In the async facade so does an operation cancelled while it ran, a serialization failure,
 * and a transaction the engine ended under the session.
 */
public final class Session implements AutoCloseable {

  static {
    SessionAccess.install(new SessionAccess.Bridge() {
      @Override
      public Session lentConnections(Engine engine, boolean expireOnCommit, boolean autoflush,
          @Nullable IsolationLevel isolation) {
        return new Session(engine, expireOnCommit, autoflush, isolation, false);
      }

      @Override
      public void attach(Session session, SqlConnection connection) {
        session.attach(connection);
      }

      @Override
      public void operationEnded(Session session, @Nullable Throwable failure) {
        session.operationEnded(failure);
      }

      @Override
      public void interrupted(Session session, Throwable cause) {
        session.needsRollback("after an operation was interrupted", cause);
      }

      @Override
      public boolean hasConnection(Session session) {
        return session.hasConnection();
      }

      @Override
      public void autoflushIfNeeded(Session session) {
        session.autoflushIfNeeded();
      }

      @Override
      public <T> T manageRow(Session session, Class<T> type, Row row) {
        return session.manageRow(type, row);
      }

      @Override
      public @Nullable SessionTransaction transactionOn(Session session, @Nullable SqlConnection connection) {
        return session.transactionOn(connection);
      }

      @Override
      public @Nullable SessionTransaction nestedTransactionOn(Session session, @Nullable SqlConnection connection) {
        return session.nestedTransactionOn(connection);
      }
    });
  }

  private final Engine engine;
  private final boolean expireOnCommit;
  private final @Nullable IsolationLevel isolation;
  private final boolean ownsConnections;

  private @Nullable SqlConnection connection;
  private boolean autoflush;
  private boolean flushing;
  private boolean closed;
  /** Why the session needs {@link #rollback()} before anything else, or null when it does not. */
  private @Nullable String pendingRollback;
  private @Nullable Throwable pendingCause;
  /**
   * The transaction of {@link #connection} as the last operation left it: when the connection
   * holds another one (or none) at the next operation, the engine ended it under the session.
   */
  private @Nullable Transaction joined;

  private final IdentityMap identity = new IdentityMap();
  private final Map<String, Object> info = new LinkedHashMap<>();
  /** The handle of the root transaction last asked for; read from any thread by the async facade. */
  private final AtomicReference<@Nullable RootHandle> rootHandle = new AtomicReference<>();
  /** The handles of savepoints opened by {@link #beginNested()}, by the connection's savepoint. */
  private final Map<Transaction, SessionTransaction> nestedHandles = new ConcurrentHashMap<>();

  /** A session transaction handle and the connection's root transaction it stands for. */
  private record RootHandle(Transaction transaction, SessionTransaction handle) {}

  /**
   * A session that borrows connections from {@code engine} itself (the blocking API).
   * {@code AsyncSessionFactory.openSyncSession()} is the usual way to get one.
   *
   * @param engine where connections come from
   * @param expireOnCommit whether commit expires every loaded object
   * @param autoflush whether queries flush pending changes first
   * @param isolation the isolation level of the session's transactions, or null for the engine's
   * @throws NullPointerException when {@code engine} is null
   */
  public Session(Engine engine, boolean expireOnCommit, boolean autoflush, @Nullable IsolationLevel isolation) {
    this(engine, expireOnCommit, autoflush, isolation, true);
  }

  Session(Engine engine, boolean expireOnCommit, boolean autoflush, @Nullable IsolationLevel isolation,
      boolean ownsConnections) {
    this.engine = Objects.requireNonNull(engine, "engine must not be null");
    this.expireOnCommit = expireOnCommit;
    this.autoflush = autoflush;
    this.isolation = isolation;
    this.ownsConnections = ownsConnections;
  }

  // ---------------------------------------------------------------- unit of work

  /**
   * Makes {@code entity} pending: it is INSERTed at the next flush. Adding an object the session
   * already tracks does nothing (a deleted one is un-deleted). No I/O.
   *
   * @throws io.asyncengine.error.MappingException when its class cannot be an entity
   * @throws InvalidRequestException when its id is unset and not generated, or another instance
   *     with the same id is already in the session (use {@link #merge})
   * @throws ResourceClosedException when the session is closed
   * @throws NullPointerException when {@code entity} is null
   */
  public void add(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureUsable();
    Objects.requireNonNull(entity, "entity must not be null");
    MappedClass<Object> model = MappedClass.entityOf(entity);
    EntityState existing = identity.stateOf(entity);
    if (existing != null) {
      if (existing.status == Status.DELETED && existing.instance == entity) {
        identity.undelete(existing);
      }
      return;
    }
    Object id = model.read(entity, model.id());
    if (id == null && !model.idGenerated()) {
      throw new InvalidRequestException("Cannot add " + model.describe() + ": its id '"
          + model.id().name() + "' is null and not generated by the database; set it first");
    }
    if (!model.isUnsetId(id) && identity.containsKey(IdCoercion.key(model, id))) {
      throw new InvalidRequestException("Cannot add " + model.describe() + " with id " + id
          + ": another instance with this id is already in the session; use merge() to copy its"
          + " state onto the persistent one");
    }
    identity.addPending(model, entity);
  }

  /**
   * {@link #add} for each element, in iteration order. Same exceptions.
   *
   * @throws NullPointerException when {@code entities} is null
   */
  public void addAll(Collection<?> entities) {
    Objects.requireNonNull(entities, "entities must not be null");
    for (Object entity : entities) {
      add(entity);
    }
  }

  /**
   * Marks a persistent entity for DELETE at the next flush; a pending one is simply expunged. No
   * I/O.
   *
   * @throws InvalidRequestException when the entity is not in this session (detached or never
   *     added): load it first with {@link #get}
   * @throws NullPointerException when {@code entity} is null
   */
  public void delete(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureUsable();
    EntityState state = identity.require(entity, "delete");
    if (state.status == Status.PENDING) {
      identity.forget(state);
    } else if (state.status == Status.PERSISTENT) {
      identity.markDeleted(state);
    }
  }

  /**
   * The entity of {@code type} with {@code id}: from the identity map without SQL when it is there
   * and not expired, else SELECTed by id (after an autoflush) and added to the identity map.
   *
   * @return the managed entity, or empty when no row has that id (or it is marked deleted)
   * @throws InvalidRequestException when {@code id} is not of the id's type
   * @throws io.asyncengine.error.MappingException when {@code type} cannot be an entity
   * @throws NullPointerException when {@code type} or {@code id} is null
   */
  public <T> Optional<T> get(Class<T> type, Object id) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(id, "id must not be null");
    ensureUsable();
    MappedClass<T> model = MappedClass.entity(Objects.requireNonNull(type, "type must not be null"));
    EntityKey key = IdCoercion.key(model, id);
    EntityState state = identity.get(key);
    if (state != null && !state.expired) {
      return state.status == Status.DELETED ? Optional.empty() : Optional.of(type.cast(state.instance));
    }
    autoflushIfNeeded();
    Optional<Row> row = selectById(model, key.id());
    if (row.isEmpty()) {
      if (state != null) {
        identity.forget(state);
      }
      return Optional.empty();
    }
    return Optional.of(manage(model, row.get().as(type)));
  }

  /**
   * {@link #get} that insists (SQLAlchemy's {@code get_one}).
   *
   * @throws NoResultException naming the class and id when there is no such row
   * @throws NullPointerException when {@code type} or {@code id} is null
   */
  public <T> T getOne(Class<T> type, Object id) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(id, "id must not be null");
    return get(type, id).orElseThrow(() -> new NoResultException("No " + type.getSimpleName()
        + " with id " + id));
  }

  /**
   * INSERTs pending entities in add order, UPDATEs dirty persistent ones (changed columns only,
   * version checked and incremented), then DELETEs deleted ones (version checked). Generated ids
   * and versions are written back: into POJOs, and into a replacement record in the identity map
   * ({@link #current}). An entity changed after it was expired is re-read first and its changes
   * written on top of the row as it is now. Does nothing when nothing changed.
   *
   * @throws StaleObjectException naming the entity and id when a versioned UPDATE or DELETE, or any
   *     UPDATE, matched no row, or the row of an entity changed after it was expired is gone
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors; the
   *     transaction is then rolled back and the session needs {@link #rollback()}
   */
  public void flush() {
    ensureUsable();
    if (flushing || !identity.hasChanges()) {
      return;
    }
    flushing = true;
    try {
      for (EntityState state : identity.pendingStates()) {
        insert(state);
      }
      for (EntityState state : identity.statesToUpdate()) {
        if (state.expired && !reloadKeepingChanges(state)) {
          continue; // the database already holds the values set since it was expired
        }
        identity.updated(state, persister(state.model).update(connection(), state));
      }
      for (EntityState state : identity.deletedStates()) {
        persister(state.model).delete(connection(), state);
        identity.deletedFromDatabase(state);
      }
    } catch (RuntimeException | Error e) {
      // As SQLAlchemy: a failed flush leaves the database transaction unusable; roll it back now so
      // nothing half-written survives, and make the caller acknowledge with rollback().
      if (connection != null && !connection.isClosed()) {
        try {
          connection.rollback();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      needsRollback("after a failed flush", e);
      throw e;
    } finally {
      flushing = false;
    }
  }

  /**
   * Flushes, commits the transaction and returns the connection to the pool. With
   * expire-on-commit (the default) every loaded object is expired: the next {@link #get} re-reads
   * it. Does nothing but expiring when no transaction is open. When the flush or the commit fails,
   * the transaction is rolled back and the session needs {@link #rollback()}.
   *
   * @throws io.asyncengine.error.AsyncEngineException subclasses from the flush or the commit
   *     (e.g. {@link io.asyncengine.error.SerializationFailureException})
   * @throws PendingRollbackException when an earlier failure left the session needing rollback()
   */
  public void commit() {
    ensureUsable();
    flush();
    if (connection != null) {
      try {
        connection.commit();
      } catch (RuntimeException | Error e) {
        needsRollback("after its commit failed", e);
        throw e;
      } finally {
        release();
      }
    }
    identity.committed();
    if (expireOnCommit) {
      expireAll();
    }
  }

  /**
   * Rolls back the transaction and returns the connection; discards pending objects, forgets
   * objects inserted in the transaction, restores deleted ones, and expires everything (their
   * state is re-read on next use). Clears a pending-rollback state; then the database's own
   * rollback failing (the transaction was already gone) is not reported. Never throws for a
   * session without a transaction.
   *
   * @throws ResourceClosedException when the session is closed
   */
  public void rollback() {
    ensureOpen();
    RuntimeException failure = null;
    if (connection != null) {
      try {
        if (!connection.isClosed()) { // an evicted connection ended its transaction already
          connection.rollback();
        }
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        release();
      }
    }
    identity.rolledBack(0, 0);
    // A transaction already lost (SQLite rolls back a write it interrupts itself) cannot be rolled
    // back again: the acknowledgement is what was asked for, not a second rollback.
    boolean lost = pendingRollback != null;
    pendingRollback = null;
    pendingCause = null;
    if (failure != null && !lost) {
      throw failure;
    }
  }

  /**
   * Re-reads every column of {@code entity} from the database, discarding unflushed changes: a POJO
   * is updated in place; a record is replaced in the identity map.
   *
   * @return the refreshed instance (the same POJO, or the new record)
   * @throws InvalidRequestException when the entity is not persistent in this session
   * @throws NoResultException when its row no longer exists (the entity is expunged)
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> T refresh(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureUsable();
    EntityState state = identity.require(entity, "refresh");
    if (state.status == Status.PENDING) {
      throw new InvalidRequestException("Cannot refresh " + state.model.describe()
          + ": it is pending (not flushed yet)");
    }
    Optional<Row> row = selectById(state.model, state.key.id());
    if (row.isEmpty()) {
      identity.forget(state);
      throw new NoResultException("Cannot refresh " + state.key + ": its row no longer exists");
    }
    identity.load(state, row.get().as(state.model.type()));
    @SuppressWarnings("unchecked")
    T current = (T) state.instance;
    return current;
  }

  /**
   * Copies {@code entity}'s state onto the persistent entity with the same id (SQLAlchemy's
   * {@code merge}): the one in the identity map, else the one SELECTed by id, else {@code entity}
   * is added as pending. A POJO's values are copied onto the persistent instance, which is
   * returned; a record simply becomes the persistent instance. Changes are written at the next
   * flush.
   *
   * @return the managed instance
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> T merge(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureUsable();
    Objects.requireNonNull(entity, "entity must not be null");
    MappedClass<Object> model = MappedClass.entityOf(entity);
    if (identity.holds(entity)) {
      return entity;
    }
    Object id = model.read(entity, model.id());
    if (model.isUnsetId(id)) {
      add(entity);
      return entity;
    }
    EntityKey key = IdCoercion.key(model, id);
    EntityState state = identity.get(key);
    if (state == null || state.expired) {
      if (get(model.type(), key.id()).isPresent()) {
        state = identity.get(key);
      } else {
        add(entity);
        return entity;
      }
    }
    identity.merge(state, entity);
    @SuppressWarnings("unchecked")
    T current = (T) state.instance;
    return current;
  }

  /**
   * Removes {@code entity} from the session without touching the database; pending changes to it
   * are forgotten.
   *
   * @throws InvalidRequestException when the entity is not in this session
   * @throws NullPointerException when {@code entity} is null
   */
  public void expunge(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureOpen();
    identity.forget(identity.require(entity, "expunge"));
  }

  /** Removes every entity from the session (SQLAlchemy's {@code expunge_all}). No I/O. */
  public void expungeAll() {
    ensureOpen();
    identity.clear();
  }

  /**
   * Marks {@code entity}'s loaded state as stale: unflushed changes to it are discarded, and the
   * next {@link #get} or query re-reads it. No I/O, no lazy loading: the object keeps its current
   * values until re-read. Values set on it afterwards are changes: the next flush re-reads the row
   * and writes them on top of it.
   *
   * @throws InvalidRequestException when the entity is not persistent in this session
   * @throws NullPointerException when {@code entity} is null
   */
  public void expire(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    ensureOpen();
    EntityState state = identity.require(entity, "expire");
    if (state.status == Status.PENDING) {
      throw new InvalidRequestException("Cannot expire " + state.model.describe()
          + ": it is pending (not flushed yet)");
    }
    state.expire();
  }

  /** {@link #expire} for every persistent entity. No I/O. */
  public void expireAll() {
    ensureOpen();
    identity.expireAll();
  }

  /**
   * The instance the session currently holds for {@code entity}: for a record replaced by a flush
   * (generated id, version), a refresh or a merge, the replacement; otherwise {@code entity}
   * itself (also when the session does not track it). No I/O.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public <T> T current(T entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    EntityState state = identity.stateOf(entity);
    @SuppressWarnings("unchecked")
    T current = state == null ? entity : (T) state.instance;
    return current;
  }

  // ---------------------------------------------------------------- queries

  /**
   * Runs a statement after an autoflush and buffers its result. {@code values} are positional, for
   * {@code ?} markers, always; named values go through {@link #execute(String, Params)}.
   *
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers,
   *     or one of them is a {@code Map} or {@link Params} (use {@code Params.named(map)})
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   * @throws NullPointerException when {@code sql} is null
   */
  public Result execute(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    return execute(sql, Params.of(values));
  }

  /**
   * {@link #execute(String, Object...)} with {@link Params}: {@code Params.named(map)} for
   * {@code :name} markers, or {@code Params.of(...)}.
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Result execute(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    ensureUsable();
    autoflushIfNeeded();
    try {
      return connection().execute(sql, params);
    } catch (RuntimeException e) {
      if (ownsConnections) {
        noteFailure(e); // the async facade notes it when the operation ends, after naming a cancel
      }
      throw e;
    }
  }

  /**
   * Every row as {@code type}: for an entity class, managed entities (one instance per id, through
   * the identity map); for a simple type ({@code String}, {@code Long}, …), the first column.
   * Values as in {@link #execute(String, Object...)}.
   *
   * @throws io.asyncengine.error.MappingException when rows cannot be mapped, or entity rows lack
   *     the id column
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> List<@Nullable T> scalars(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return scalars(type, sql, Params.of(values));
  }

  /**
   * {@link #scalars(Class, String, Object...)} with {@link Params} (named or positional).
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> List<@Nullable T> scalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    Result result = execute(sql, params);
    if (TypeConverter.isSimpleType(type)) {
      return result.scalars(type);
    }
    MappedClass<T> model = MappedClass.entity(type);
    List<T> out = new ArrayList<>(result.size());
    for (Row row : result) {
      out.add(manage(model, row.as(type)));
    }
    return out;
  }

  /**
   * The first row as {@code type} (see {@link #scalars}), or {@code null} when there is none (or,
   * for a simple type, when its value is NULL). Values as in {@link #execute(String, Object...)}.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> @Nullable T scalar(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return scalar(type, sql, Params.of(values));
  }

  /**
   * {@link #scalar(Class, String, Object...)} with {@link Params} (named or positional).
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> @Nullable T scalar(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    Result result = execute(sql, params);
    if (result.isEmpty()) {
      return null;
    }
    return TypeConverter.isSimpleType(type) ? result.scalar(type) : manageRow(type, result.all().get(0));
  }

  /**
   * The rows of a query as a lazy stream over a server-side cursor, after an autoflush. Close it
   * (try-with-resources) to release the cursor early; commit, rollback and close release it too.
   * Values as in {@link #execute(String, Object...)}.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public Stream<Row> stream(String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(sql, "sql must not be null");
    return stream(sql, Params.of(values));
  }

  /**
   * {@link #stream(String, Object...)} with {@link Params} (named or positional).
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Stream<Row> stream(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    ensureUsable();
    autoflushIfNeeded();
    return connection().cursor(sql, params).stream();
  }

  /**
   * {@link #stream} with each row as {@code type}: managed entities, or the first column.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Stream<@Nullable T> streamScalars(Class<T> type, String sql, @Nullable Object @Nullable ... values) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return streamScalars(type, sql, Params.of(values));
  }

  /**
   * {@link #streamScalars(Class, String, Object...)} with {@link Params} (named or positional).
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> Stream<@Nullable T> streamScalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return stream(sql, params).map(row -> TypeConverter.isSimpleType(type)
        ? row.get(0, type) : manageRow(type, row));
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Begins the session's transaction explicitly, borrowing a connection.
   *
   * @return the transaction; its commit is the session's {@link #commit()}
   * @throws InvalidRequestException when a transaction is already begun (explicitly or by
   *     autobegin)
   */
  public SessionTransaction begin() {
    ensureUsable();
    if (inTransaction()) {
      throw new InvalidRequestException("A transaction is already begun on this session; commit or"
          + " roll it back first, or use beginNested()");
    }
    return rootHandle(connection().begin());
  }

  /**
   * Flushes, then opens a SAVEPOINT (beginning the transaction first if needed). Rolling the
   * nested transaction back forgets entities inserted inside it, restores those deleted inside it
   * and expires everything.
   */
  public SessionTransaction beginNested() {
    ensureUsable();
    flush();
    Transaction savepoint = connection().beginNested();
    SessionTransaction nested = new SessionTransaction(this, savepoint, identity.insertedMark(), identity.deletedMark());
    nestedHandles.keySet().removeIf(ended -> !ended.isActive());
    nestedHandles.put(savepoint, nested);
    return nested;
  }

  /**
   * The session's root transaction, begun explicitly or by autobegin, or {@code null} when none is
   * open (SQLAlchemy's {@code Session.get_transaction()}): the handle {@link #begin()} returned, or
   * for an autobegun transaction one made on first ask (the same handle until that transaction
   * ends). No I/O; the session's thread.
   */
  public @Nullable SessionTransaction getTransaction() {
    return transactionOn(connection);
  }

  /**
   * The innermost open SAVEPOINT of the session, the handle {@link #beginNested()} returned, or
   * {@code null} when none is open (SQLAlchemy's {@code Session.get_nested_transaction()}). No
   * I/O; the session's thread.
   */
  public @Nullable SessionTransaction getNestedTransaction() {
    return nestedTransactionOn(connection);
  }

  /** Whether the session holds a transaction (begun explicitly or by autobegin). No I/O. */
  public boolean inTransaction() {
    SqlConnection held = connection;
    return held != null && !held.isClosed() && held.inTransaction();
  }

  // ---------------------------------------------------------------- state

  /** Pending entities (SQLAlchemy's {@code session.new}), in add order. No I/O. */
  public List<Object> newObjects() {
    return identity.newObjects();
  }

  /** Persistent entities whose current values differ from the loaded ones. No I/O. */
  public List<Object> dirty() {
    return identity.dirtyObjects();
  }

  /** Entities marked for deletion at the next flush. No I/O. */
  public List<Object> deleted() {
    return identity.deletedObjects();
  }

  /** A snapshot of the identity map: every persistent (or deleted, unflushed) entity by key. */
  public Map<EntityKey, Object> identityMap() {
    return identity.snapshot();
  }

  /**
   * Whether {@code entity} is pending, or persistent with unflushed changes. No I/O.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public boolean isModified(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    EntityState state = identity.require(entity, "check isModified of");
    return state.isModified();
  }

  /**
   * Whether the session tracks {@code entity} (SQLAlchemy's {@code obj in session}). No I/O.
   *
   * @throws NullPointerException when {@code entity} is null
   */
  public boolean contains(Object entity) {
    Objects.requireNonNull(entity, "entity must not be null");
    return identity.stateOf(entity) != null;
  }

  /** A mutable map for the application's own data about this session (SQLAlchemy's {@code info}). */
  public Map<String, Object> info() {
    return info;
  }

  /** Whether queries autoflush. */
  public boolean autoflush() {
    return autoflush;
  }

  /**
   * Runs {@code work} with autoflush off (SQLAlchemy's {@code no_autoflush}), restoring it after.
   *
   * @return what {@code work} returned
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> T withoutAutoflush(Function<? super Session, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    boolean previous = autoflush;
    autoflush = false;
    try {
      return work.apply(this);
    } finally {
      autoflush = previous;
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Rolls back an open transaction, returns the connection, forgets every entity and ends the
   * session: later operations throw {@link ResourceClosedException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (connection != null) {
        release();
      }
    } finally {
      expungeAll();
      closed = true;
    }
  }

  // ---------------------------------------------------------------- async facade, through SessionAccess

  /**
   * Uses {@code given} (the async connection's view) as this session's connection. When the
   * transaction the session last worked in has ended without it (the engine rolls back the
   * transaction of an operation cancelled while it ran, and evicts a connection whose state is
   * unknown), the session needs {@link #rollback()}: its flushed changes are gone.
   */
  void attach(SqlConnection given) {
    SqlConnection held = connection;
    if (joined != null && (held != given || held.isClosed() || held.transaction() != joined)) {
      needsRollback("outside the session: an operation was cancelled or aborted while it ran, or"
          + " its connection was lost", null);
    }
    joined = null;
    if (held != null && held != given && held.isClosed()) {
      connection = null;
    }
    if (connection == null) {
      connection = given;
      applyIsolation(given);
    }
  }

  /**
   * An operation of the async facade ended (with {@code failure}, or null): remembers the
   * transaction it left open, and a serialization failure or deadlock, after which the database
   * has rolled the transaction back (MariaDB) or refuses it (PostgreSQL), makes the session need
   * {@link #rollback()}.
   */
  void operationEnded(@Nullable Throwable failure) {
    SqlConnection held = connection;
    joined = held == null || held.isClosed() ? null : held.transaction();
    if (failure != null) {
      noteFailure(failure);
    }
  }

  /**
   * A statement of the session's transaction failed: when the database has rolled the transaction
   * back (a serialization failure or deadlock) or will refuse it from now on (any database error
   * on PostgreSQL, whose COMMIT then silently rolls back), the session needs {@link #rollback()},
   * so that a later commit cannot report success for work the database did not keep.
   */
  private void noteFailure(Throwable failure) {
    SqlConnection held = connection;
    if (held == null || held.isClosed() || !held.inTransaction()) {
      return;
    }
    if (failure instanceof SerializationFailureException) {
      needsRollback("after a serialization failure or deadlock", failure);
    } else if (failure instanceof DatabaseException && !(failure instanceof ParameterBindingException)
        && engine.dialect().name().equals("postgresql")) {
      needsRollback("after a failed statement (PostgreSQL aborts the transaction)", failure);
    }
  }

  /** Makes the session refuse everything but rollback() and close(), naming why; the first reason wins. */
  void needsRollback(String reason, @Nullable Throwable cause) {
    if (pendingRollback == null) {
      pendingRollback = reason;
      pendingCause = cause;
    }
  }

  /** Whether the session holds a connection now. */
  boolean hasConnection() {
    return connection != null && !connection.isClosed();
  }

  /** Flushes when autoflush is on and there is something to flush. */
  void autoflushIfNeeded() {
    if (autoflush && !flushing && identity.hasChanges()) {
      flush();
    }
  }

  /** Maps {@code row} to the entity {@code type} and returns the managed instance. */
  <T> T manageRow(Class<T> type, Row row) {
    return manage(MappedClass.entity(type), row.as(type));
  }

  /**
   * {@link #getTransaction()} as of {@code held}, the session's connection: any thread, since it
   * reads only the connection's published transaction state and the handle's atomic reference.
   */
  @Nullable SessionTransaction transactionOn(@Nullable SqlConnection held) {
    Transaction root = held == null || held.isClosed() ? null : held.getTransaction();
    return root == null ? null : rootHandle(root);
  }

  /** {@link #getNestedTransaction()} as of {@code held}, the session's connection: any thread. */
  @Nullable SessionTransaction nestedTransactionOn(@Nullable SqlConnection held) {
    Transaction innermost = held == null || held.isClosed() ? null : held.getNestedTransaction();
    return innermost == null ? null : nestedHandles.get(innermost);
  }

  /** The one handle for the connection's root transaction {@code root}, made on first ask. */
  private SessionTransaction rootHandle(Transaction root) {
    while (true) {
      RootHandle current = rootHandle.get();
      if (current != null && current.transaction() == root) {
        return current.handle();
      }
      RootHandle made = new RootHandle(root, new SessionTransaction(this, root));
      if (rootHandle.compareAndSet(current, made)) {
        return made.handle();
      }
    }
  }

  void commitNested(Transaction savepoint) {
    flush();
    savepoint.commit();
  }

  void rollbackNested(Transaction savepoint, int insertedMark, int deletedMark) {
    savepoint.rollback();
    identity.rolledBack(insertedMark, deletedMark);
    pendingRollback = null;
    pendingCause = null;
  }

  // ---------------------------------------------------------------- internals

  private SqlConnection connection() {
    if (connection == null || connection.isClosed()) {
      if (!ownsConnections) {
        // Only inside AsyncSession.runSync, after the work committed or rolled back: the facade
        // hands a connection to each operation, so the next unit of work needs its own call.
        throw new InvalidRequestException("This session's transaction ended inside runSync(); start"
            + " the next unit of work in a new AsyncSession operation");
      }
      connection = null;
      SqlConnection borrowed = engine.connect();
      try {
        applyIsolation(borrowed);
      } catch (RuntimeException e) {
        borrowed.close();
        throw e;
      }
      connection = borrowed;
    }
    return connection;
  }

  private void applyIsolation(SqlConnection target) {
    if (isolation != null && !target.inTransaction()) {
      target.withIsolation(isolation);
    }
  }

  private void release() {
    SqlConnection held = connection;
    connection = null;
    joined = null;
    // In the async facade the view belongs to an AsyncConnection: the facade closes that (which
    // rolls back what is left and returns the connection through the engine's own bookkeeping).
    if (held != null && ownsConnections) {
      held.close();
    }
  }

  private void insert(EntityState state) {
    MappedClass<Object> model = state.model;
    Object instance = persister(model).insert(connection(), state.instance);
    identity.inserted(state, instance, IdCoercion.key(model, model.read(instance, model.id())));
  }

  /**
   * Re-reads an expired entity that was changed since it was expired, keeping those changes, so
   * that the UPDATE compares with (and checks the version of) the row as it is now.
   *
   * @return whether changes are left to write
   * @throws StaleObjectException when its row no longer exists
   */
  private boolean reloadKeepingChanges(EntityState state) {
    Optional<Row> row = selectById(state.model, state.key.id());
    if (row.isEmpty()) {
      throw new StaleObjectException("UPDATE of " + state.model.type().getName() + " with id "
          + state.key.id() + " changed after it was expired: its row no longer exists");
    }
    identity.loadKeepingChanges(state, row.get().as(state.model.type()));
    return state.isModified();
  }

  /** The managed instance for a freshly loaded {@code loaded}: existing (refreshed if expired) or new. */
  private <T> T manage(MappedClass<T> model, T loaded) {
    Object id = model.read(loaded, model.id());
    if (id == null) {
      throw new InvalidRequestException("A query returned " + model.describe()
          + " without its id column '" + model.id().column() + "'; select it to get managed entities");
    }
    return identity.manage(model, IdCoercion.key(model, id), loaded);
  }

  /** SELECTs the row of {@code model} with {@code id}, noting a failure as {@link #execute} does. */
  private Optional<Row> selectById(MappedClass<?> model, Object id) {
    try {
      return persister(model).selectById(connection(), id);
    } catch (RuntimeException e) {
      if (ownsConnections) {
        noteFailure(e);
      }
      throw e;
    }
  }

  private EntityPersister persister(MappedClass<?> model) {
    return EntityPersister.of(model, engine.dialect());
  }

  private void ensureOpen() {
    if (closed) {
      throw new ResourceClosedException("This session is closed");
    }
  }

  private void ensureUsable() {
    ensureOpen();
    String reason = pendingRollback;
    if (reason != null) {
      Throwable cause = pendingCause;
      String detail = cause == null ? "" : " (" + (cause.getMessage() == null
          ? cause.getClass().getName() : cause.getMessage()) + ")";
      throw new PendingRollbackException("This session's transaction was rolled back " + reason
          + detail + "; call rollback() before using it again", null, cause);
    }
  }
}
