package io.asyncengine.dialect;

import io.asyncengine.options.IsolationLevel;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * SQLite through sqlite-jdbc (xerial), checked against 3.53.4.0.
 *
 * <p>Connection set-up: {@link #driverProperties()} gives sqlite-jdbc the pragmas a pooled
 * database needs, applied when each physical connection opens (an init SQL would run inside the
 * pool's transaction, where {@code PRAGMA foreign_keys} is silently ignored): foreign keys on, as
 * every other database has them; WAL, so readers run while one connection writes; a 10 s busy
 * timeout, so pooled writers queue for the lock instead of failing at once. A property of the same
 * name given to the builder, or a pragma in the URL, wins.
 *
 * <p>Errors: sqlite-jdbc sets no SQLState and reports the primary result code as vendor code,
 * classified here (see {@link SqlErrorClassifier}); SQLITE_BUSY_SNAPSHOT (a write on a stale WAL
 * snapshot) is a serialization failure, every other busy or locked database operational.
 *
 * <p>Streaming needs nothing: SQLite steps row by row and sqlite-jdbc ignores the fetch size.
 *
 * <p>Timeouts: {@code setQueryTimeout} only bounds waiting for a lock (observed: a 1 s timeout did
 * not stop a 45 s query); {@code cancel()} calls {@code sqlite3_interrupt} and stops the statement
 * with result code 9. The engine must enforce statement timeouts on SQLite by cancelling.
 *
 * <p>Thread: immutable; safe for concurrent use.
 */
final class SqliteDialect implements Dialect {

  private static final String URL_PREFIX = "jdbc:sqlite:";

  private static final VendorCodeRule RESULT_CODES = ex -> {
    // sqlite-jdbc never sets a SQLState; a state means the code is not an SQLite result code.
    if (ex.getSQLState() != null) {
      return null;
    }
    return switch (ex.getErrorCode() & 0xFF) {
      case 1 -> ErrorKind.PROGRAMMING; // SQLITE_ERROR: syntax, no such table or column
      case 8 -> ErrorKind.READ_ONLY; // SQLITE_READONLY, also from PRAGMA query_only
      case 9 -> ErrorKind.STATEMENT_TIMEOUT; // SQLITE_INTERRUPT, from Statement.cancel()
      case 18, 20, 25 -> ErrorKind.DATA; // TOOBIG, MISMATCH, RANGE
      case 19 -> ErrorKind.INTEGRITY; // SQLITE_CONSTRAINT, all extended codes
      case 5 -> isStaleSnapshot(ex) ? ErrorKind.SERIALIZATION_FAILURE : ErrorKind.OPERATIONAL;
      // PERM, BUSY, LOCKED, NOMEM, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOLFS, AUTH, NOTADB
      case 3, 6, 7, 10, 11, 13, 14, 15, 22, 23, 26 -> ErrorKind.OPERATIONAL;
      default -> null;
    };
  };

  /**
   * SQLITE_BUSY_SNAPSHOT (517): in WAL mode a transaction that read, then tries to write after
   * another connection committed, works on a stale snapshot. A concurrency conflict, retried by
   * rolling back and starting again, not a lock to wait for. sqlite-jdbc reports the primary code
   * (5, SQLITE_BUSY) and names the extended one in the message.
   */
  private static boolean isStaleSnapshot(SQLException ex) {
    String message = ex.getMessage();
    return ex.getErrorCode() == 517 || (message != null && message.contains("SQLITE_BUSY_SNAPSHOT"));
  }

  // After the rule: static fields initialise in order.
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
  private static final Map<String, String> PRAGMAS =
      Map.of("foreign_keys", "true", "journal_mode", "WAL", "busy_timeout", Long.toString(BUSY_TIMEOUT.toMillis()));

  static final SqliteDialect INSTANCE = new SqliteDialect();

  private final SqlErrorTranslator translator = new SqlErrorTranslator(RESULT_CODES, ValueFreeMessage.AS_IS);

  private SqliteDialect() {
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public boolean isInMemory(String jdbcUrl) {
    String url = jdbcUrl.strip();
    if (!url.regionMatches(true, 0, URL_PREFIX, 0, URL_PREFIX.length())) {
      return false;
    }
    String rest = url.substring(URL_PREFIX.length());
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file::memory:")) {
      return true;
    }
    if (query < 0) {
      return false;
    }
    for (String parameter : rest.substring(query + 1).split("&")) {
      if (parameter.strip().toLowerCase(Locale.ROOT).equals("mode=memory")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public SqlLexing lexing() {
    return SqlLexing.SQLITE;
  }

  @Override
  public boolean honoursQueryTimeout() {
    return false;
  }

  /** Writers queue in the engine, fairly, for as long as SQLite's busy timeout would let them retry. */
  @Override
  public Duration singleWriterTimeout() {
    return BUSY_TIMEOUT;
  }

  @Override
  public Map<String, String> driverProperties() {
    return PRAGMAS;
  }

  /** READ_COMMITTED and REPEATABLE_READ run as SERIALIZABLE, the only other level SQLite has. */
  @Override
  public IsolationLevel effectiveIsolation(IsolationLevel requested) {
    return switch (Dialect.super.effectiveIsolation(requested)) {
      case READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE -> IsolationLevel.SERIALIZABLE;
      case READ_UNCOMMITTED -> IsolationLevel.READ_UNCOMMITTED;
      case AUTOCOMMIT -> IsolationLevel.AUTOCOMMIT;
    };
  }

  /**
   * Uses {@code PRAGMA query_only}: sqlite-jdbc's {@code setReadOnly} throws on an open connection.
   * A write then fails with SQLITE_READONLY (translated to an OperationalException). HikariCP does
   * not see the change, so the engine must reset it before returning the connection.
   */
  @Override
  public void setReadOnly(Connection connection, boolean readOnly) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(readOnly ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
    }
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex) {
    return translator.translate(operation, sql, parameters, ex);
  }

  @Override
  public String toString() {
    return "Dialect[sqlite]";
  }

  /** SQLite's "cannot commit/rollback - no transaction is active". */
  @Override
  public boolean isTransactionGone(SQLException ex) {
    String message = ex.getMessage();
    return message != null && message.contains("no transaction is active");
  }

  /**
   * sqlite-jdbc opens its next transaction only after a COMMIT or ROLLBACK that succeeded; after
   * SQLite ended the transaction itself, BEGIN is issued here instead.
   */
  @Override
  public void reopenTransaction(Connection connection) throws SQLException {
    if (connection.getAutoCommit()) {
      return;
    }
    try (Statement begin = connection.createStatement()) {
      begin.execute("begin");
    }
  }
}
