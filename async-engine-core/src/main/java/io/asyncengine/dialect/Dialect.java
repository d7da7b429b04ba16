package io.asyncengine.dialect;

import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.options.IsolationLevel;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine must know about one kind of database: how to recognise it, how to set up its
 * connections, how to stream and which exception a driver error becomes.
 *
 * <p>Dialects know drivers only through JDBC: SQLState, vendor code and the standard
 * {@code SQLException} subclasses, never a driver's own classes, so any driver may be used.
 *
 * <p>Thread: implementations are immutable and safe for concurrent use.
 */
public interface Dialect {

  /** The SQLite dialect (sqlite-jdbc). */
  static Dialect sqlite() {
    return SqliteDialect.INSTANCE;
  }

  /** The PostgreSQL dialect (pgjdbc). */
  static Dialect postgresql() {
    return PostgresDialect.INSTANCE;
  }

  /** The MariaDB and MySQL dialect (MariaDB Connector/J or MySQL Connector/J). */
  static Dialect mariadb() {
    return MariaDbDialect.INSTANCE;
  }

  /** The dialect for any other database: standard JDBC and standard SQLStates only. */
  static Dialect generic() {
    return GenericDialect.INSTANCE;
  }

  /**
   * The dialect of a JDBC URL: {@code jdbc:sqlite:}, {@code jdbc:postgresql:},
   * {@code jdbc:mariadb:} or {@code jdbc:mysql:}; {@link #generic()} for anything else.
   *
   * @throws NullPointerException when {@code jdbcUrl} is null
   */
  static Dialect forJdbcUrl(String jdbcUrl) {
    String url = Objects.requireNonNull(jdbcUrl, "jdbcUrl").strip().toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:sqlite:")) {
      return sqlite();
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return postgresql();
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return mariadb();
    }
    return generic();
  }

  /**
   * The dialect of a {@code DatabaseMetaData.getDatabaseProductName()}, for a DataSource whose URL
   * is unknown: "SQLite", "PostgreSQL", "MariaDB" or "MySQL" (any case); {@link #generic()} for
   * anything else, including {@code null}.
   */
  static Dialect forProductName(@Nullable String databaseProductName) {
    if (databaseProductName == null) {
      return generic();
    }
    return switch (databaseProductName.strip().toLowerCase(Locale.ROOT)) {
      case "sqlite" -> sqlite();
      case "postgresql" -> postgresql();
      case "mariadb", "mysql" -> mariadb();
      default -> generic();
    };
  }

  /** The dialect's name: "sqlite", "postgresql", "mariadb" or "generic". */
  String name();

  /**
   * Whether {@code jdbcUrl} names a private in-memory database, one per physical connection; the
   * engine then keeps a single connection that never retires. Only SQLite has them:
   * {@code jdbc:sqlite:}, {@code jdbc:sqlite::memory:}, {@code jdbc:sqlite:file::memory:...} and
   * URLs with {@code mode=memory}.
   *
   * @throws NullPointerException when {@code jdbcUrl} is null
   */
  default boolean isInMemory(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return false;
  }

  /**
   * Driver properties the engine's own pool passes to every new physical connection; properties
   * the user sets take precedence. Empty by default.
   */
  default Map<String, String> driverProperties() {
    return Map.of();
  }

  /**
   * Whether the driver stops a running statement at {@code Statement.setQueryTimeout}. When it
   * does not (sqlite-jdbc only bounds lock waits), the engine enforces statement timeouts itself by
   * calling {@code Statement.cancel()} from a timer.
   */
  default boolean honoursQueryTimeout() {
    return true;
  }

  /**
   * For a database that allows one writing transaction at a time (SQLite): how long a connection
   * waits in the engine's writer queue before its first write fails as "database is locked".
   * Null (the default) when writers need no queue.
   */
  default @Nullable Duration singleWriterTimeout() {
    return null;
  }

  /**
   * Whether {@code sql} should be prepared with {@link Statement#RETURN_GENERATED_KEYS}: an INSERT
   * (leading whitespace, comments and case ignored) without its own RETURNING clause.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  default boolean wantsGeneratedKeys(String sql) {
    return "INSERT".equals(SqlText.firstKeyword(sql, lexing()))
        && !SqlText.containsKeyword(sql, "RETURNING", lexing());
  }

  /**
   * How this database reads SQL text: where literals, quoted identifiers and comments end, which
   * decides what is a parameter marker. {@link SqlLexing#STANDARD} by default.
   */
  default SqlLexing lexing() {
    return SqlLexing.STANDARD;
  }

  /**
   * Whether string literals take backslash escapes on {@code connection} right now; asked only for
   * {@link SqlLexing#MARIADB}, once per physical connection, and only for a statement whose
   * markers depend on it (a backslash before a quote inside a literal). Runs on the thread that
   * runs the statement, on the connection the statement runs on. True by default.
   *
   * @throws SQLException when the driver fails to answer
   */
  default boolean backslashEscapes(Connection connection) throws SQLException {
    return true;
  }

  /**
   * Makes {@code statement} fetch rows in batches of {@code fetchSize} instead of reading the whole
   * result first. The engine calls it with autocommit off, which PostgreSQL needs for a cursor.
   *
   * @throws IllegalArgumentException when {@code fetchSize} is not positive
   * @throws SQLException when the driver refuses
   */
  default void prepareForStreaming(Statement statement, int fetchSize) throws SQLException {
    if (fetchSize <= 0) {
      throw new IllegalArgumentException("fetchSize must be positive, was " + fetchSize);
    }
    statement.setFetchSize(fetchSize);
  }

  /**
   * Stops the server producing the rest of a streamed result whose cursor is being closed before
   * its last row. Needed where closing the result reads every remaining row (MariaDB Connector/J
   * drains a streaming result on close: with millions of rows left, close would take minutes). The
   * engine calls it on the connection's thread, right before closing such a cursor; the close then
   * reads only what was already under way. Does nothing by default: closing a cursor is cheap on
   * PostgreSQL (a portal close) and SQLite (a statement reset).
   *
   * @throws SQLException when the driver refuses; the engine closes the cursor all the same
   */
  default void stopAbandonedCursor(Statement statement) throws SQLException {
  }

  /**
   * Cancels a fetch of an open cursor running on {@code connection} (the statement that opened the
   * cursor is {@code statement}), from another thread. By default {@link Statement#cancel()}; a
   * dialect whose driver ignores that once the query has returned its first rows (pgjdbc) cancels
   * at the connection level instead. May reach the connection's next statement if called after the
   * fetch returned: the engine calls it only while the fetch runs. Never throws.
   */
  default void cancelFetch(Connection connection, Statement statement) {
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException ignored) {
      // Best effort: the fetch then ends by itself.
    }
  }

  /**
   * Whether every value of a column has the column's declared SQL type, so that the driver's typed
   * getter for that type ({@code getLong} for {@code BIGINT}, {@code getString} for {@code VARCHAR},
   * {@code getDouble} for {@code DOUBLE}) returns exactly what {@code getObject} returns. The typed
   * reading of rows into records and scalars uses those getters only then, and {@code getObject}
   * otherwise. True for PostgreSQL and MariaDB; false by default, and for SQLite, whose columns may
   * hold a value of any type whatever they were declared as.
   */
  default boolean strictColumnTypes() {
    return false;
  }

  /** The fetch size used for streaming when the caller does not choose one. */
  default int defaultFetchSize() {
    return 1000;
  }

  /**
   * The isolation level that really runs when {@code requested} is asked for; stricter than asked
   * when the database lacks the level.
   *
   * @throws NullPointerException when {@code requested} is null
   */
  default IsolationLevel effectiveIsolation(IsolationLevel requested) {
    return Objects.requireNonNull(requested, "requested");
  }

  /**
   * Makes {@code connection} read-only or read-write, effective for the next transaction. Call it
   * outside a transaction, and reset it before the connection goes back to the pool: where the
   * dialect uses SQL instead of {@link Connection#setReadOnly}, HikariCP does not know to reset it.
   *
   * @throws SQLException when the driver refuses
   */
  default void setReadOnly(Connection connection, boolean readOnly) throws SQLException {
    connection.setReadOnly(readOnly);
  }

  /**
   * A query returning one row with the server's id of the session it runs in (MariaDB's
   * {@code SELECT CONNECTION_ID()}), or {@code null} when the engine need not track sessions. The
   * engine runs it once per physical connection and kills the session with
   * {@link #killSessionSql(long)} when it gives up on that connection (aborts or evicts it) while a
   * statement may still run there. {@code null} by default: PostgreSQL's cancel request and
   * SQLite's interrupt already stop the work.
   */
  default @Nullable String sessionIdQuery() {
    return null;
  }

  /**
   * The statement that ends session {@code sessionId} (from {@link #sessionIdQuery()}) and
   * whatever it runs, issued from another connection; {@code null} when the dialect has none.
   */
  default @Nullable String killSessionSql(long sessionId) {
    return null;
  }

  /**
   * Whether {@code ex}, raised by {@link #killSessionSql(long)}, only says that the session had
   * already ended (nothing left to kill). False by default.
   */
  default boolean isSessionGone(SQLException ex) {
    return false;
  }

  /**
   * Whether {@code ex}, thrown by a COMMIT or ROLLBACK, says that no transaction was open: the
   * database ended it by itself (SQLite rolls a transaction back when a write in it is interrupted,
   * or the disk is full) while the driver still counts it open. False by default.
   */
  default boolean isTransactionGone(SQLException ex) {
    return false;
  }

  /**
   * Opens the driver's transaction again on {@code connection} after {@link #isTransactionGone}, so
   * the next statement does not run in the database's own autocommit mode, out of reach of a later
   * rollback. Runs on the connection's thread. Does nothing by default.
   *
   * @throws SQLException when the database refuses
   */
  default void reopenTransaction(Connection connection) throws SQLException {}

  /**
   * Whether {@code ex} says the connection is gone (SQLAlchemy's {@code is_disconnect}): SQLState
   * class 08, PostgreSQL 57P01/57P02/57P03, a {@code SQLNonTransientConnectionException} or
   * {@code SQLRecoverableException}, and the dialect's own vendor codes (MariaDB 1927, 2006, 2013).
   * The engine then evicts the connection instead of trying to roll back on it, and a commit that
   * fails this way becomes {@link io.asyncengine.error.CommitOutcomeUnknownException}. Decided
   * here, not from the translated exception, so it holds whatever {@link ExceptionTranslator} the
   * engine uses. Never throws.
   */
  default boolean isConnectionLost(SQLException ex) {
    return SqlErrorClassifier.isConnectionLost(ex, VendorCodeRule.NONE);
  }

  /**
   * Translates a driver error into the most specific {@code io.asyncengine.error} exception; see
   * {@link ExceptionTranslator#translate} for the arguments. Never throws.
   */
  RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters, SQLException ex);

  /** This dialect's {@link #translate} as an {@link ExceptionTranslator}. */
  default ExceptionTranslator exceptionTranslator() {
    return this::translate;
  }
}
