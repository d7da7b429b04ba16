package io.asyncengine.core.internal;

import io.asyncengine.dialect.Dialect;
import io.asyncengine.result.ColumnLabels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A bounded LRU of prepared statements for one physical connection, so that a statement run
 * again on the same connection skips the prepare, which is most of what separates a statement run
 * through the engine from hand-written JDBC; {@link StatementCaches} keeps one per physical
 * connection. It also remembers the connection's backslash rule (MariaDB's {@code sql_mode}), read
 * once when a statement first needs it and read again after a {@code SET} of {@code sql_mode}.
 *
 * <p>Invariant: every statement in the cache belongs to {@link #connection}; evicted and cleared
 * statements are closed, and one found closed (its connection closed underneath) is prepared
 * again. Not thread-safe: used by one {@code SqlConnection} at a time, on one thread at a time.
 */
public final class StatementCache {

  private final Connection connection;
  private final int capacity;
  private final LinkedHashMap<Key, PreparedStatement> statements;
  private final Map<PreparedStatement, ColumnLabels> labels = new IdentityHashMap<>();
  private @Nullable Boolean backslashEscapes; // null until asked

  /** A cache of at most {@code capacity} statements on {@code connection}; 0 disables caching. */
  public StatementCache(Connection connection, int capacity) {
    this.connection = connection;
    this.capacity = capacity;
    this.statements = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * A prepared statement for {@code jdbcSql}, from the cache or newly prepared (and cached).
   *
   * @throws SQLException when the driver cannot prepare it
   */
  public PreparedStatement prepare(String jdbcSql, boolean generatedKeys) throws SQLException {
    if (capacity == 0) {
      return create(jdbcSql, generatedKeys);
    }
    Key key = new Key(jdbcSql, generatedKeys);
    PreparedStatement statement = statements.get(key);
    if (statement != null) {
      if (!statement.isClosed()) {
        return statement;
      }
      statements.remove(key); // a pool that closed it behind our back
      labels.remove(statement);
    }
    statement = create(jdbcSql, generatedKeys);
    statements.put(key, statement);
    if (statements.size() > capacity) {
      Iterator<Map.Entry<Key, PreparedStatement>> eldest = statements.entrySet().iterator();
      PreparedStatement evicted = eldest.next().getValue();
      labels.remove(evicted);
      closeQuietly(evicted);
      eldest.remove();
    }
    return statement;
  }

  /**
   * The column labels of {@code resultSet}, remembered per cached statement: a statement's result
   * shape does not change between executions, and reading labels costs a driver call per column
   * (a JNI call and a UTF-8 decode each on SQLite). A different column count reads them again.
   *
   * @throws SQLException when the driver cannot describe the result
   */
  public ColumnLabels labels(PreparedStatement statement, ResultSet resultSet) throws SQLException {
    ColumnLabels known = labels.get(statement);
    if (known != null && known.size() == resultSet.getMetaData().getColumnCount()) {
      return known;
    }
    ColumnLabels read = ResultReader.labels(resultSet);
    if (capacity > 0 && statements.containsValue(statement)) {
      labels.put(statement, read);
    }
    return read;
  }

  /**
   * Whether string literals take backslash escapes on this connection, asked of {@code dialect}
   * the first time and remembered until {@link #forgetBackslashRule()}.
   *
   * @throws SQLException when the driver fails to answer
   */
  public boolean backslashEscapes(Dialect dialect) throws SQLException {
    Boolean known = backslashEscapes;
    if (known == null) {
      known = dialect.backslashEscapes(connection);
      backslashEscapes = known;
    }
    return known;
  }

  /** Makes the next {@link #backslashEscapes} ask again: the session's {@code sql_mode} may have changed. */
  public void forgetBackslashRule() {
    backslashEscapes = null;
  }

  /** Whether statements are kept after use; when not, the caller closes them. */
  public boolean isCaching() {
    return capacity > 0;
  }

  /** Drops {@code statement} from the cache and closes it (after a failure left it unusable). */
  public void discard(String jdbcSql, boolean generatedKeys) {
    PreparedStatement statement = statements.remove(new Key(jdbcSql, generatedKeys));
    if (statement != null) {
      labels.remove(statement);
      closeQuietly(statement);
    }
  }

  /** The number of cached statements. */
  public int size() {
    return statements.size();
  }

  /** Closes and forgets every cached statement. */
  public void clear() {
    for (PreparedStatement statement : statements.values()) {
      closeQuietly(statement);
    }
    statements.clear();
    labels.clear();
  }

  private PreparedStatement create(String jdbcSql, boolean generatedKeys) throws SQLException {
    return generatedKeys
        ? connection.prepareStatement(jdbcSql, Statement.RETURN_GENERATED_KEYS)
        : connection.prepareStatement(jdbcSql);
  }

  private static void closeQuietly(Statement statement) {
    try {
      statement.close();
    } catch (SQLException | RuntimeException ignored) {
      // The connection is being cleaned up or is already broken; nothing useful to report.
    }
  }

  private record Key(String sql, boolean generatedKeys) {}
}
