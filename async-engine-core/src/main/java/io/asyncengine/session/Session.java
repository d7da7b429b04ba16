package io.asyncengine.session;


import io.asyncengine.core.Engine;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.core.Transaction;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.mapping.EntityMetadata;
import io.asyncengine.types.TypeConverter;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.session.internal.EntityState;
import io.asyncengine.session.internal.EntityState.Status;
import io.asyncengine.session.internal.SessionAccess;
import io.asyncengine.session.internal.SqlIdentifiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Stream;

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
 * <p>SQL built by the session uses only table and column names from {@link EntityMetadata}
 * (validated identifiers, quoted) and binds every value.
 *
 * <p>Thread: not thread-safe; one thread at a time (the async facade runs it on its connection's
 * lane). A failed flush rolls the transaction back and leaves the session needing {@link
 * #rollback()}: other operations throw {@link PendingRollbackException} until then.
 */
public final class Session implements AutoCloseable {

  static {
    SessionAccess.install(new SessionAccess.Bridge() {
      @Override
      public Session lentConnections(Engine engine, boolean expireOnCommit, boolean autoflush, IsolationLevel isolation) {
        return new Session(engine, expireOnCommit, autoflush, isolation, false);
      }

      @Override
      public void attach(Session session, SqlConnection connection) {
        session.attach(connection);
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
    });
  }

  private final Engine engine;
  private final boolean expireOnCommit;
  private final IsolationLevel isolation;
  private final boolean ownsConnections;

  private SqlConnection connection;
  private boolean autoflush;
  private boolean flushing;
  private boolean closed;
  private RuntimeException pendingRollback;

  private final Map<EntityKey, EntityState> identityMap = new LinkedHashMap<>();
  private final Map<Object, EntityState> byInstance = new IdentityHashMap<>();
  private final List<EntityState> pending = new ArrayList<>();
  private final List<EntityState> deleted = new ArrayList<>();
  /** Entities inserted and deleted in the current transaction, to undo on rollback. */
  private final List<EntityState> insertedInTransaction = new ArrayList<>();
  private final List<EntityState> deletedInTransaction = new ArrayList<>();
  private final Map<String, Object> info = new LinkedHashMap<>();

  /**
   * A session that borrows connections from {@code engine} itself (the blocking API).
   * {@code AsyncSessionFactory.openSyncSession()} is the usual way to get one.
   *
   * @param engine where connections come from
   * @param expireOnCommit whether commit expires every loaded object
   * @param autoflush whether queries flush pending changes first
   * @param isolation the isolation level of the session's transactions, or null for the engine's
   */
  public Session(Engine engine, boolean expireOnCommit, boolean autoflush, IsolationLevel isolation) {
    this(engine, expireOnCommit, autoflush, isolation, true);
  }

  Session(Engine engine, boolean expireOnCommit, boolean autoflush, IsolationLevel isolation,
      boolean ownsConnections) {
    this.engine = Objects.requireNonNull(engine, "engine");
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
   */
  public void add(Object entity) {
    ensureUsable();
    Objects.requireNonNull(entity, "entity");
    EntityMetadata<Object> metadata = metadataOf(entity);
    EntityState existing = stateOf(entity);
    if (existing != null) {
      if (existing.status == Status.DELETED && existing.instance == entity) {
        existing.status = Status.PERSISTENT;
        deleted.remove(existing);
      }
      return;
    }
    Object id = metadata.read(entity, metadata.id());
    if (id == null && !metadata.idGenerated()) {
      throw new InvalidRequestException("Cannot add " + metadata.describe() + ": its id '"
          + metadata.id().name() + "' is null and not generated by the database; set it first");
    }
    if (!metadata.isUnsetId(id) && identityMap.containsKey(key(metadata, id))) {
      throw new InvalidRequestException("Cannot add " + metadata.describe() + " with id " + id
          + ": another instance with this id is already in the session; use merge() to copy its"
          + " state onto the persistent one");
    }
    EntityState state = new EntityState(metadata, entity, Status.PENDING);
    pending.add(state);
    byInstance.put(entity, state);
  }

  /** {@link #add} for each element, in iteration order. Same exceptions. */
  public void addAll(Collection<?> entities) {
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
   */
  public void delete(Object entity) {
    ensureUsable();
    EntityState state = requireState(entity, "delete");
    if (state.status == Status.PENDING) {
      forget(state);
    } else if (state.status == Status.PERSISTENT) {
      state.status = Status.DELETED;
      deleted.add(state);
    }
  }

  /**
   * The entity of {@code type} with {@code id}: from the identity map without SQL when it is there
   * and not expired, else SELECTed by id (after an autoflush) and added to the identity map.
   *
   * @return the managed entity, or empty when no row has that id (or it is marked deleted)
   * @throws InvalidRequestException when {@code id} is null or not of the id's type
   * @throws io.asyncengine.error.MappingException when {@code type} cannot be an entity
   */
  public <T> Optional<T> get(Class<T> type, Object id) {
    ensureUsable();
    EntityMetadata<T> metadata = EntityMetadata.of(Objects.requireNonNull(type, "type"));
    EntityKey key = key(metadata, id);
    EntityState state = identityMap.get(key);
    if (state != null && !state.expired) {
      return state.status == Status.DELETED ? Optional.empty() : Optional.of(type.cast(state.instance));
    }
    autoflushIfNeeded();
    Optional<Row> row = selectById(metadata, key.id());
    if (row.isEmpty()) {
      if (state != null) {
        forget(state);
      }
      return Optional.empty();
    }
    return Optional.of(manage(metadata, row.get().as(type)));
  }

  /**
   * {@link #get} that insists (SQLAlchemy's {@code get_one}).
   *
   * @throws NoResultException naming the class and id when there is no such row
   */
  public <T> T getOne(Class<T> type, Object id) {
    return get(type, id).orElseThrow(() -> new NoResultException("No " + type.getSimpleName()
        + " with id " + id));
  }

  /**
   * INSERTs pending entities in add order, UPDATEs dirty persistent ones (changed columns only,
   * version checked and incremented), then DELETEs deleted ones (version checked). Generated ids
   * and versions are written back: into POJOs, and into a replacement record in the identity map
   * ({@link #current}). Does nothing when nothing changed.
   *
   * @throws StaleObjectException naming the entity and id when a versioned UPDATE or DELETE, or any
   *     UPDATE, matched no row
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors; the
   *     transaction is then rolled back and the session needs {@link #rollback()}
   */
  public void flush() {
    ensureUsable();
    if (flushing || !hasChanges()) {
      return;
    }
    flushing = true;
    try {
      for (EntityState state : List.copyOf(pending)) {
        insert(state);
      }
      for (EntityState state : List.copyOf(identityMap.values())) {
        if (state.status == Status.PERSISTENT && !state.expired && state.isModified()) {
          update(state);
        }
      }
      for (EntityState state : List.copyOf(deleted)) {
        delete(state);
      }
    } catch (RuntimeException | Error e) {
      // As SQLAlchemy: a failed flush leaves the database transaction unusable; roll it back now so
      // nothing half-written survives, and make the caller acknowledge with rollback().
      if (connection != null) {
        try {
          connection.rollback();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof RuntimeException runtime) {
        pendingRollback = runtime;
      }
      throw e;
    } finally {
      flushing = false;
    }
  }

  /**
   * Flushes, commits the transaction and returns the connection to the pool. With
   * expire-on-commit (the default) every loaded object is expired: the next {@link #get} re-reads
   * it. Does nothing but expiring when no transaction is open.
   *
   * @throws io.asyncengine.error.AsyncEngineException subclasses from the flush or the commit
   *     (e.g. {@link io.asyncengine.error.SerializationFailureException})
   */
  public void commit() {
    ensureUsable();
    flush();
    if (connection != null) {
      try {
        connection.commit();
      } finally {
        release();
      }
    }
    insertedInTransaction.clear();
    deletedInTransaction.clear();
    if (expireOnCommit) {
      expireAll();
    }
  }

  /**
   * Rolls back the transaction and returns the connection; discards pending objects, forgets
   * objects inserted in the transaction, restores deleted ones, and expires everything (their
   * state is re-read on next use). Clears a pending-rollback state. Never throws for a session
   * without a transaction.
   *
   * @throws ResourceClosedException when the session is closed
   */
  public void rollback() {
    ensureOpen();
    RuntimeException failure = null;
    if (connection != null) {
      try {
        connection.rollback();
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        release();
      }
    }
    resetAfterRollback(0, 0);
    pendingRollback = null;
    if (failure != null) {
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
   */
  public <T> T refresh(T entity) {
    ensureUsable();
    EntityState state = requireState(entity, "refresh");
    if (state.status == Status.PENDING) {
      throw new InvalidRequestException("Cannot refresh " + state.metadata.describe()
          + ": it is pending (not flushed yet)");
    }
    Optional<Row> row = selectById(state.metadata, state.key.id());
    if (row.isEmpty()) {
      forget(state);
      throw new NoResultException("Cannot refresh " + state.key + ": its row no longer exists");
    }
    load(state, row.get().as(state.metadata.type()));
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
   */
  public <T> T merge(T entity) {
    ensureUsable();
    Objects.requireNonNull(entity, "entity");
    EntityMetadata<Object> metadata = metadataOf(entity);
    EntityState tracked = byInstance.get(entity);
    if (tracked != null) {
      return entity;
    }
    Object id = metadata.read(entity, metadata.id());
    if (metadata.isUnsetId(id)) {
      add(entity);
      return entity;
    }
    EntityKey key = key(metadata, id);
    EntityState state = identityMap.get(key);
    if (state == null || state.expired) {
      if (get(metadata.type(), key.id()).isPresent()) {
        state = identityMap.get(key);
      } else {
        add(entity);
        return entity;
      }
    }
    if (metadata.isRecord()) {
      state.instance = entity;
      byInstance.put(entity, state);
    } else {
      metadata.copyInto(entity, state.instance);
    }
    if (state.status == Status.DELETED) {
      state.status = Status.PERSISTENT;
      deleted.remove(state);
    }
    @SuppressWarnings("unchecked")
    T current = (T) state.instance;
    return current;
  }

  /**
   * Removes {@code entity} from the session without touching the database; pending changes to it
   * are forgotten.
   *
   * @throws InvalidRequestException when the entity is not in this session
   */
  public void expunge(Object entity) {
    ensureOpen();
    forget(requireState(entity, "expunge"));
  }

  /** Removes every entity from the session (SQLAlchemy's {@code expunge_all}). No I/O. */
  public void expungeAll() {
    ensureOpen();
    identityMap.clear();
    byInstance.clear();
    pending.clear();
    deleted.clear();
  }

  /**
   * Marks {@code entity}'s loaded state as stale: unflushed changes to it are discarded at the next
   * flush, and the next {@link #get} or query re-reads it. No I/O, no lazy loading: the object
   * keeps its current values until re-read.
   *
   * @throws InvalidRequestException when the entity is not persistent in this session
   */
  public void expire(Object entity) {
    ensureOpen();
    EntityState state = requireState(entity, "expire");
    if (state.status == Status.PENDING) {
      throw new InvalidRequestException("Cannot expire " + state.metadata.describe()
          + ": it is pending (not flushed yet)");
    }
    state.expired = true;
  }

  /** {@link #expire} for every persistent entity. No I/O. */
  public void expireAll() {
    ensureOpen();
    for (EntityState state : identityMap.values()) {
      state.expired = true;
    }
  }

  /**
   * The instance the session currently holds for {@code entity}: for a record replaced by a flush
   * (generated id, version), a refresh or a merge, the replacement; otherwise {@code entity}
   * itself (also when the session does not track it). No I/O.
   */
  public <T> T current(T entity) {
    EntityState state = stateOf(entity);
    @SuppressWarnings("unchecked")
    T current = state == null ? entity : (T) state.instance;
    return current;
  }

  // ---------------------------------------------------------------- queries

  /**
   * Runs a statement after an autoflush and buffers its result. Values as in {@link
   * SqlConnection#execute(String, Object...)}: positional for {@code ?}, or one {@code Map} for
   * {@code :name} markers, or one {@link Params}.
   */
  public Result execute(String sql, Object... params) {
    ensureUsable();
    autoflushIfNeeded();
    return connection().execute(sql, Params.fromVarargs(params));
  }

  /**
   * Every row as {@code type}: for an entity class, managed entities (one instance per id, through
   * the identity map); for a simple type ({@code String}, {@code Long}, …), the first column.
   *
   * @throws io.asyncengine.error.MappingException when rows cannot be mapped, or entity rows lack
   *     the id column
   */
  public <T> List<T> scalars(Class<T> type, String sql, Object... params) {
    Result result = execute(sql, params);
    if (TypeConverter.isSimpleType(type)) {
      return result.scalars(type);
    }
    EntityMetadata<T> metadata = EntityMetadata.of(type);
    List<T> out = new ArrayList<>(result.size());
    for (Row row : result) {
      out.add(manage(metadata, row.as(type)));
    }
    return out;
  }

  /** The first row as {@code type} (see {@link #scalars}), or {@code null} when there is none. */
  public <T> T scalar(Class<T> type, String sql, Object... params) {
    Result result = execute(sql, params);
    if (result.isEmpty()) {
      return null;
    }
    return TypeConverter.isSimpleType(type) ? result.scalar(type) : manageRow(type, result.all().get(0));
  }

  /**
   * The rows of a query as a lazy stream over a server-side cursor, after an autoflush. Close it
   * (try-with-resources) to release the cursor early; commit, rollback and close release it too.
   */
  public Stream<Row> stream(String sql, Object... params) {
    ensureUsable();
    autoflushIfNeeded();
    return connection().cursor(sql, Params.fromVarargs(params)).stream();
  }

  /** {@link #stream} with each row as {@code type}: managed entities, or the first column. */
  public <T> Stream<T> streamScalars(Class<T> type, String sql, Object... params) {
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
    connection().begin();
    return new SessionTransaction(this, null, 0, 0);
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
    return new SessionTransaction(this, savepoint, insertedInTransaction.size(),
        deletedInTransaction.size());
  }

  /** Whether the session holds a transaction (begun explicitly or by autobegin). No I/O. */
  public boolean inTransaction() {
    SqlConnection held = connection;
    return held != null && !held.isClosed() && held.inTransaction();
  }

  // ---------------------------------------------------------------- state

  /** Pending entities (SQLAlchemy's {@code session.new}), in add order. No I/O. */
  public List<Object> newObjects() {
    List<Object> out = new ArrayList<>(pending.size());
    pending.forEach(state -> out.add(state.instance));
    return Collections.unmodifiableList(out);
  }

  /** Persistent entities whose current values differ from the loaded ones. No I/O. */
  public List<Object> dirty() {
    List<Object> out = new ArrayList<>();
    for (EntityState state : identityMap.values()) {
      if (state.status == Status.PERSISTENT && !state.expired && state.isModified()) {
        out.add(state.instance);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Entities marked for deletion at the next flush. No I/O. */
  public List<Object> deleted() {
    List<Object> out = new ArrayList<>(deleted.size());
    deleted.forEach(state -> out.add(state.instance));
    return Collections.unmodifiableList(out);
  }

  /** A snapshot of the identity map: every persistent (or deleted, unflushed) entity by key. */
  public Map<EntityKey, Object> identityMap() {
    Map<EntityKey, Object> out = new LinkedHashMap<>();
    identityMap.forEach((key, state) -> out.put(key, state.instance));
    return Collections.unmodifiableMap(out);
  }

  /** Whether {@code entity} is pending, or persistent with unflushed changes. No I/O. */
  public boolean isModified(Object entity) {
    EntityState state = requireState(entity, "check isModified of");
    return !state.expired && state.isModified();
  }

  /** Whether the session tracks {@code entity} (SQLAlchemy's {@code obj in session}). No I/O. */
  public boolean contains(Object entity) {
    return stateOf(entity) != null;
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
   */
  public <T> T withoutAutoflush(Function<? super Session, ? extends T> work) {
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

  /** Uses {@code given} (the async connection's view) as this session's connection. */
  void attach(SqlConnection given) {
    if (connection == null) {
      connection = given;
      applyIsolation(given);
    }
  }

  /** Whether the session holds a connection now. */
  boolean hasConnection() {
    return connection != null && !connection.isClosed();
  }

  /** Flushes when autoflush is on and there is something to flush. */
  void autoflushIfNeeded() {
    if (autoflush && !flushing && hasChanges()) {
      flush();
    }
  }

  /** Maps {@code row} to the entity {@code type} and returns the managed instance. */
  <T> T manageRow(Class<T> type, Row row) {
    return manage(EntityMetadata.of(type), row.as(type));
  }

  void commitNested(Transaction savepoint) {
    flush();
    savepoint.commit();
  }

  void rollbackNested(Transaction savepoint, int insertedMark, int deletedMark) {
    savepoint.rollback();
    resetAfterRollback(insertedMark, deletedMark);
    pendingRollback = null;
  }

  Engine engine() {
    return engine;
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
    // In the async facade the view belongs to an AsyncConnection: the facade closes that (which
    // rolls back what is left and returns the connection through the engine's own bookkeeping).
    if (held != null && ownsConnections) {
      held.close();
    }
  }

  private void resetAfterRollback(int insertedMark, int deletedMark) {
    for (EntityState state : List.copyOf(pending)) {
      forget(state);
    }
    List<EntityState> inserted = insertedInTransaction.subList(insertedMark, insertedInTransaction.size());
    for (EntityState state : List.copyOf(inserted)) {
      forget(state);
    }
    inserted.clear();
    List<EntityState> removed = deletedInTransaction.subList(deletedMark, deletedInTransaction.size());
    for (EntityState state : removed) {
      state.status = Status.PERSISTENT;
      identityMap.putIfAbsent(state.key, state);
      byInstance.put(state.instance, state);
    }
    removed.clear();
    for (EntityState state : List.copyOf(deleted)) {
      state.status = Status.PERSISTENT;
    }
    deleted.clear();
    for (EntityState state : identityMap.values()) {
      state.expired = true;
    }
  }

  private boolean hasChanges() {
    if (!pending.isEmpty() || !deleted.isEmpty()) {
      return true;
    }
    for (EntityState state : identityMap.values()) {
      if (state.status == Status.PERSISTENT && !state.expired && state.isModified()) {
        return true;
      }
    }
    return false;
  }

  private void insert(EntityState state) {
    EntityMetadata<Object> metadata = state.metadata;
    Object instance = state.instance;
    EntityMetadata.Property version = metadata.version();
    if (version != null) {
      Object current = metadata.read(instance, version);
      if (current == null || ((Number) current).longValue() == 0) {
        instance = metadata.with(instance, version, 1);
      }
    }
    Object id = metadata.read(instance, metadata.id());
    boolean generate = metadata.isUnsetId(id) && metadata.idGenerated();
    List<EntityMetadata.Property> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (EntityMetadata.Property property : metadata.properties()) {
      if (generate && property == metadata.id()) {
        continue;
      }
      columns.add(property);
      values.add(metadata.read(instance, property));
    }
    StringJoiner names = new StringJoiner(", ");
    StringJoiner markers = new StringJoiner(", ");
    for (EntityMetadata.Property property : columns) {
      names.add(quote(property.column()));
      markers.add("?");
    }
    String sql = "INSERT INTO " + quote(metadata.table()) + " (" + names + ") VALUES (" + markers + ")";
    Result result = connection().execute(sql, Params.of(values.toArray()));
    if (generate) {
      Object generated = generatedId(metadata, result, sql);
      instance = metadata.with(instance, metadata.id(), generated);
      id = metadata.read(instance, metadata.id());
    }
    pending.remove(state);
    state.instance = instance;
    state.status = Status.PERSISTENT;
    state.key = key(metadata, id);
    state.snapshot = state.currentValues();
    state.expired = false;
    identityMap.put(state.key, state);
    byInstance.put(instance, state);
    insertedInTransaction.add(state);
  }

  private Object generatedId(EntityMetadata<Object> metadata, Result result, String sql) {
    Result keys = result.generatedKeys();
    if (keys == null || keys.isEmpty()) {
      throw new InvalidRequestException("The database returned no generated id for "
          + metadata.describe() + "; declare the id column as generated (autoincrement, serial,"
          + " identity) or set the id before add()", sql, null);
    }
    Row row = keys.all().get(0);
    // PostgreSQL returns the whole row (RETURNING *); MariaDB and SQLite return one key column.
    int index = row.columns().indexOf(metadata.id().column());
    return row.get(index >= 0 ? index : 0);
  }

  private void update(EntityState state) {
    EntityMetadata<Object> metadata = state.metadata;
    Object[] current = state.currentValues();
    List<EntityMetadata.Property> properties = metadata.properties();
    EntityMetadata.Property version = metadata.version();
    int idIndex = properties.indexOf(metadata.id());
    if (!Objects.equals(current[idIndex], state.snapshot[idIndex])) {
      throw new InvalidRequestException("The id of persistent " + state.key + " was changed to "
          + current[idIndex] + "; ids cannot change: delete it and add a new one");
    }
    StringJoiner assignments = new StringJoiner(", ");
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < properties.size(); i++) {
      EntityMetadata.Property property = properties.get(i);
      if (property == version || i == idIndex || Objects.equals(current[i], state.snapshot[i])) {
        continue;
      }
      assignments.add(quote(property.column()) + " = ?");
      values.add(current[i]);
    }
    Object oldVersion = null;
    Object newVersion = null;
    if (version != null) {
      oldVersion = state.snapshot[properties.indexOf(version)];
      newVersion = (oldVersion == null ? 0L : ((Number) oldVersion).longValue()) + 1;
      assignments.add(quote(version.column()) + " = ?");
      values.add(newVersion);
    }
    String sql = "UPDATE " + quote(metadata.table()) + " SET " + assignments + where(metadata, values,
        state.key.id(), oldVersion);
    long count = connection().execute(sql, Params.of(values.toArray())).rowCount();
    if (count != 1) {
      throw stale("UPDATE", state, oldVersion, sql);
    }
    if (version != null) {
      state.instance = metadata.with(state.instance, version, newVersion);
      byInstance.put(state.instance, state);
    }
    state.snapshot = state.currentValues();
  }

  private void delete(EntityState state) {
    EntityMetadata<Object> metadata = state.metadata;
    EntityMetadata.Property version = metadata.version();
    List<Object> values = new ArrayList<>();
    Object oldVersion = version == null ? null
        : state.snapshot[metadata.properties().indexOf(version)];
    String sql = "DELETE FROM " + quote(metadata.table()) + where(metadata, values, state.key.id(),
        oldVersion);
    long count = connection().execute(sql, Params.of(values.toArray())).rowCount();
    // As SQLAlchemy: a missing row is an error only when a version column says the row was read.
    if (version != null && count != 1) {
      throw stale("DELETE", state, oldVersion, sql);
    }
    deleted.remove(state);
    identityMap.remove(state.key);
    byInstance.values().removeIf(s -> s == state);
    deletedInTransaction.add(state);
  }

  private String where(EntityMetadata<?> metadata, List<Object> values, Object id, Object version) {
    values.add(id);
    String where = " WHERE " + quote(metadata.id().column()) + " = ?";
    if (metadata.version() != null) {
      values.add(version);
      where += " AND " + quote(metadata.version().column()) + " = ?";
    }
    return where;
  }

  private static StaleObjectException stale(String statement, EntityState state, Object version,
      String sql) {
    String detail = version != null
        ? " at version " + version + ": another transaction changed or deleted it first"
        : ": the row no longer exists";
    return new StaleObjectException(statement + " of " + state.metadata.type().getName() + " with id "
        + state.key.id() + " matched no row" + detail, sql, null);
  }

  private Optional<Row> selectById(EntityMetadata<?> metadata, Object id) {
    StringJoiner names = new StringJoiner(", ");
    for (EntityMetadata.Property property : metadata.properties()) {
      names.add(quote(property.column()));
    }
    String sql = "SELECT " + names + " FROM " + quote(metadata.table()) + " WHERE "
        + quote(metadata.id().column()) + " = ?";
    return connection().execute(sql, Params.of(id)).first();
  }

  /** The managed instance for a freshly loaded {@code loaded}: existing (refreshed if expired) or new. */
  private <T> T manage(EntityMetadata<T> metadata, T loaded) {
    Object id = metadata.read(loaded, metadata.id());
    if (id == null) {
      throw new InvalidRequestException("A query returned " + metadata.describe()
          + " without its id column '" + metadata.id().column() + "'; select it to get managed entities");
    }
    EntityKey key = key(metadata, id);
    EntityState state = identityMap.get(key);
    if (state == null) {
      state = new EntityState(metadata, loaded, Status.PERSISTENT);
      state.key = key;
      state.snapshot = state.currentValues();
      identityMap.put(key, state);
      byInstance.put(loaded, state);
    } else if (state.expired) {
      load(state, loaded);
    }
    return metadata.type().cast(state.instance);
  }

  /** Replaces {@code state}'s values with {@code loaded}'s, in place for a POJO. */
  private void load(EntityState state, Object loaded) {
    if (state.metadata.isRecord()) {
      state.instance = loaded;
      byInstance.put(loaded, state);
    } else {
      state.metadata.copyInto(loaded, state.instance);
    }
    state.snapshot = state.currentValues();
    state.expired = false;
    if (state.status == Status.DELETED) {
      state.status = Status.PERSISTENT;
      deleted.remove(state);
    }
  }

  private void forget(EntityState state) {
    pending.remove(state);
    deleted.remove(state);
    if (state.key != null && identityMap.get(state.key) == state) {
      identityMap.remove(state.key);
    }
    byInstance.values().removeIf(s -> s == state);
  }

  private EntityState stateOf(Object entity) {
    if (entity == null) {
      return null;
    }
    EntityState state = byInstance.get(entity);
    if (state != null || !entity.getClass().isRecord()) {
      return state;
    }
    // A record equal to the tracked one (records have value equality) is the same entity.
    EntityMetadata<Object> metadata = metadataOf(entity);
    Object id = metadata.read(entity, metadata.id());
    if (metadata.isUnsetId(id)) {
      return null;
    }
    EntityState byKey = identityMap.get(key(metadata, id));
    return byKey != null && byKey.instance.equals(entity) ? byKey : null;
  }

  private EntityState requireState(Object entity, String action) {
    Objects.requireNonNull(entity, "entity");
    EntityMetadata<Object> metadata = metadataOf(entity);
    EntityState state = stateOf(entity);
    if (state == null) {
      Object id = metadata.read(entity, metadata.id());
      throw new InvalidRequestException("Cannot " + action + " " + metadata.describe()
          + (metadata.isUnsetId(id) ? "" : " with id " + id) + ": it is not in this session"
          + " (detached, expunged or never added); load it with get() or add it first");
    }
    return state;
  }

  /** The identity key for {@code id}, converted to the id's type. */
  private static EntityKey key(EntityMetadata<?> metadata, Object id) {
    Class<?> idType = metadata.id().type();
    if (id == null) {
      throw new InvalidRequestException("The id for " + metadata.type().getName()
          + " must not be null");
    }
    Class<?> boxed = box(idType);
    if (boxed.isInstance(id)) {
      return new EntityKey(metadata.type(), id);
    }
    // Integral literals of another width (get(User.class, 1) for a long id) are the same id.
    if (id instanceof Number && Number.class.isAssignableFrom(boxed)
        && !(id instanceof Double) && !(id instanceof Float)) {
      try {
        return new EntityKey(metadata.type(), TypeConverter.convert(id, boxed));
      } catch (RuntimeException e) {
        // fall through to the type error
      }
    }
    throw new InvalidRequestException("The id of " + metadata.type().getName() + " is a "
        + idType.getName() + ", not a " + id.getClass().getName() + " (" + id + ")");
  }

  private static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return switch (type.getName()) {
      case "long" -> Long.class;
      case "int" -> Integer.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "boolean" -> Boolean.class;
      case "char" -> Character.class;
      case "double" -> Double.class;
      default -> Float.class;
    };
  }

  @SuppressWarnings("unchecked")
  private static EntityMetadata<Object> metadataOf(Object entity) {
    return (EntityMetadata<Object>) EntityMetadata.of(entity.getClass());
  }

  private String quote(String identifier) {
    return SqlIdentifiers.quote(engine.dialect(), identifier);
  }

  private void ensureOpen() {
    if (closed) {
      throw new ResourceClosedException("This session is closed");
    }
  }

  private void ensureUsable() {
    ensureOpen();
    if (pendingRollback != null) {
      throw new PendingRollbackException("This session's transaction was rolled back after a"
          + " failed flush (" + pendingRollback.getMessage() + "); call rollback() before using it"
          + " again");
    }
  }
}
