package io.asyncengine.session.internal;

import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.mapping.internal.MappedProperty;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one entity class on one dialect: INSERT, UPDATE, DELETE and SELECT by id, built once
 * from the class model's validated names (quoted by {@link SqlIdentifiers}) with every value
 * bound, and run on the connection a session passes in. Handles what comes back: generated ids,
 * and the version check of optimistic locking (UPDATE and DELETE guarded by {@code WHERE version
 * = <the version read>}).
 *
 * <p>Cached per class and dialect name (the SQL differs only in identifier quoting).
 *
 * <p>Thread: immutable; the cache is safe from any thread; each call runs on the session's thread.
 */
public final class EntityPersister {

  private static final ClassValue<ConcurrentHashMap<String, EntityPersister>> CACHE =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, EntityPersister> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>(4);
        }
      };

  private final MappedClass<Object> model;
  private final List<MappedProperty> columns;
  private final @Nullable MappedProperty version;
  /** Index of the id in {@link #columns}. */
  private final int idIndex;
  /** Index of the version in {@link #columns}, or -1. */
  private final int versionIndex;
  /** INSERT of every column. */
  private final String insert;
  /** INSERT of every column but the id, which the database generates. */
  private final String insertGeneratingId;
  /** {@code UPDATE table SET }; assignments of the changed columns follow. */
  private final String updatePrefix;
  /** Per column, {@code "column" = ?}. */
  private final String[] assignments;
  /** {@code WHERE id = ?}, and {@code AND version = ?} for a versioned entity. */
  private final String whereIdAndVersion;
  private final String delete;
  private final String selectById;
  /**
   * Whether a serialization failure of a versioned UPDATE or DELETE means the row changed under the
   * session: on SQLite it can only be SQLITE_BUSY_SNAPSHOT, a write on a snapshot another
   * connection's commit made stale (elsewhere it may be a deadlock, which is not).
   */
  private final boolean staleSnapshotIsStaleObject;

  private EntityPersister(MappedClass<Object> model, Dialect dialect) {
    this.model = model;
    this.staleSnapshotIsStaleObject = dialect.name().equals("sqlite");
    this.columns = model.columns();
    this.version = model.version();
    this.idIndex = columns.indexOf(model.id());
    this.versionIndex = version == null ? -1 : columns.indexOf(version);
    String table = SqlIdentifiers.quote(dialect, model.table());
    StringJoiner all = new StringJoiner(", ");
    StringJoiner allButId = new StringJoiner(", ");
    StringJoiner markers = new StringJoiner(", ");
    StringJoiner markersButId = new StringJoiner(", ");
    assignments = new String[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      String column = SqlIdentifiers.quote(dialect, columns.get(i).column());
      assignments[i] = column + " = ?";
      all.add(column);
      markers.add("?");
      if (i != idIndex) {
        allButId.add(column);
        markersButId.add("?");
      }
    }
    insert = "INSERT INTO " + table + " (" + all + ") VALUES (" + markers + ")";
    insertGeneratingId = "INSERT INTO " + table + " (" + allButId + ") VALUES (" + markersButId + ")";
    updatePrefix = "UPDATE " + table + " SET ";
    String whereId = " WHERE " + SqlIdentifiers.quote(dialect, model.id().column()) + " = ?";
    whereIdAndVersion = version == null ? whereId
        : whereId + " AND " + SqlIdentifiers.quote(dialect, version.column()) + " = ?";
    delete = "DELETE FROM " + table + whereIdAndVersion;
    selectById = "SELECT " + all + " FROM " + table + whereId;
  }

  /** The persister of the {@code model} entity on {@code dialect}. Any thread. */
  @SuppressWarnings("unchecked")
  public static EntityPersister of(MappedClass<?> model, Dialect dialect) {
    ConcurrentHashMap<String, EntityPersister> byDialect = CACHE.get(model.type());
    EntityPersister persister = byDialect.get(dialect.name());
    if (persister == null) {
      persister = byDialect.computeIfAbsent(dialect.name(),
          name -> new EntityPersister((MappedClass<Object>) model, dialect));
    }
    return persister;
  }

  /**
   * INSERTs {@code instance}: its version set to 1 when unset, its id left to the database when
   * unset and generated.
   *
   * @return the instance as stored: the same POJO, or a new record, carrying generated id and version
   * @throws InvalidRequestException when the database returned no generated id
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   */
  public Object insert(SqlConnection connection, Object instance) {
    if (version != null) {
      Object current = model.read(instance, version);
      if (current == null || ((Number) current).longValue() == 0) {
        instance = model.with(instance, version, 1);
      }
    }
    boolean generate = model.idGenerated() && model.isUnsetId(model.read(instance, model.id()));
    @Nullable Object[] values = new Object[generate ? columns.size() - 1 : columns.size()];
    int next = 0;
    for (int i = 0; i < columns.size(); i++) {
      if (!generate || i != idIndex) {
        values[next++] = model.read(instance, columns.get(i));
      }
    }
    String sql = generate ? insertGeneratingId : insert;
    Result result = connection.execute(sql, Params.of(values));
    if (generate) {
      instance = model.with(instance, model.id(), generatedId(result, sql));
    }
    return instance;
  }

  private @Nullable Object generatedId(Result result, String sql) {
    Result keys = result.generatedKeys();
    if (keys == null || keys.isEmpty()) {
      throw new InvalidRequestException("The database returned no generated id for "
          + model.describe() + "; declare the id column as generated (autoincrement, serial,"
          + " identity) or set the id before add()", sql, null);
    }
    Row row = keys.all().get(0);
    // PostgreSQL returns the whole row (RETURNING *); MariaDB and SQLite return one key column.
    int index = row.columns().indexOf(model.id().column());
    return row.get(index >= 0 ? index : 0);
  }

  /**
   * UPDATEs the columns of {@code state} that differ from its snapshot, and increments the version
   * of a versioned entity.
   *
   * @return the instance as stored: the same POJO, or a new record carrying the new version
   * @throws InvalidRequestException when the id was changed
   * @throws StaleObjectException when no row matched (changed or deleted by another transaction)
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   */
  public Object update(SqlConnection connection, EntityState state) {
    @Nullable Object[] current = state.currentValues();
    @Nullable Object[] snapshot = state.snapshot;
    if (!Objects.equals(current[idIndex], snapshot[idIndex])) {
      throw new InvalidRequestException("The id of persistent " + state.key + " was changed to "
          + current[idIndex] + "; ids cannot change: delete it and add a new one");
    }
    StringBuilder sql = new StringBuilder(updatePrefix);
    List<@Nullable Object> values = new ArrayList<>();
    for (int i = 0; i < current.length; i++) {
      if (i == versionIndex || i == idIndex || Objects.equals(current[i], snapshot[i])) {
        continue;
      }
      assign(sql, i);
      values.add(current[i]);
    }
    Object oldVersion = null;
    Object newVersion = null;
    if (version != null) {
      oldVersion = snapshot[versionIndex];
      newVersion = (oldVersion == null ? 0L : ((Number) oldVersion).longValue()) + 1;
      assign(sql, versionIndex);
      values.add(newVersion);
    }
    sql.append(whereIdAndVersion);
    values.add(state.key.id());
    if (version != null) {
      values.add(oldVersion);
    }
    String statement = sql.toString();
    long count = versioned("UPDATE", state, oldVersion, statement,
        () -> connection.execute(statement, Params.of(values.toArray())).rowCount());
    if (count != 1) {
      throw stale("UPDATE", state, oldVersion, statement, null);
    }
    return version == null ? state.instance : model.with(state.instance, version, newVersion);
  }

  private void assign(StringBuilder sql, int column) {
    if (sql.length() > updatePrefix.length()) {
      sql.append(", ");
    }
    sql.append(assignments[column]);
  }

  /**
   * DELETEs the row of {@code state}. As SQLAlchemy, a missing row is an error only when a version
   * column says the row was read.
   *
   * @throws StaleObjectException when a versioned DELETE matched no row
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   */
  public void delete(SqlConnection connection, EntityState state) {
    Object oldVersion = version == null ? null : state.snapshot[versionIndex];
    @Nullable Object[] values = version == null ? new Object[] {state.key.id()}
        : new Object[] {state.key.id(), oldVersion};
    long count = versioned("DELETE", state, oldVersion, delete,
        () -> connection.execute(delete, Params.of(values)).rowCount());
    if (version != null && count != 1) {
      throw stale("DELETE", state, oldVersion, delete, null);
    }
  }

  /**
   * SELECTs every column of the row with {@code id}.
   *
   * @return the row, or empty when there is none
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   */
  public Optional<Row> selectById(SqlConnection connection, Object id) {
    return connection.execute(selectById, Params.of(id)).first();
  }

  /** Runs a versioned statement, turning a stale-snapshot failure into a {@link StaleObjectException}. */
  private long versioned(String statement, EntityState state, @Nullable Object oldVersion, String sql,
      LongSupplier run) {
    try {
      return run.getAsLong();
    } catch (SerializationFailureException e) {
      if (version == null || !staleSnapshotIsStaleObject) {
        throw e;
      }
      throw stale(statement, state, oldVersion, sql, e);
    }
  }

  private StaleObjectException stale(String statement, EntityState state, @Nullable Object oldVersion,
      String sql, @Nullable Throwable cause) {
    String detail = oldVersion != null
        ? " at version " + oldVersion + ": another transaction changed or deleted it first"
        : ": the row no longer exists";
    return new StaleObjectException(statement + " of " + model.type().getName() + " with id "
        + state.key.id() + (cause == null ? " matched no row" : " hit a snapshot made stale by"
        + " another transaction's commit") + detail, sql, cause);
  }
}
