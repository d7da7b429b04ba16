package io.asyncengine.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * MariaDB and MySQL through MariaDB Connector/J (or MySQL Connector/J).
 *
 * <p>Vendor codes decide before the SQLState because SQLState 70100 means both "query
 * interrupted" (1317, from {@code KILL QUERY} or {@code cancel()}; 1969, from
 * {@code setQueryTimeout}/{@code max_statement_time}) and "connection killed" (1927, from
 * {@code KILL}). Also known: 3024 (MySQL {@code max_execution_time}), 1213 (deadlock, retried by a
 * {@code RetryPolicy}), 2006 and 2013 (server gone, connection lost), 1205 (lock wait timeout:
 * an {@code OperationalException}, not retried, because InnoDB rolls back only the statement and
 * the transaction stays open). Connector/J reports a broken socket as SQLState 08000. Everything
 * else falls back on the SQLState.
 *
 * <p>Streaming: Connector/J streams when the fetch size is positive; until that result is read or
 * closed, another statement on the connection makes the driver buffer the rest in memory.
 * {@code REPLACE} statements also get generated keys, like INSERT.
 *
 * <p>Thread: immutable; safe for concurrent use.
 */
final class MariaDbDialect implements Dialect {

  private static final VendorCodeRule VENDOR_CODES = ex -> switch (ex.getErrorCode()) {
    case 1317, 1969, 3024 -> ErrorKind.STATEMENT_TIMEOUT;
    case 1213 -> ErrorKind.SERIALIZATION_FAILURE;
    case 1927, 2006, 2013 -> ErrorKind.CONNECTION_LOST;
    case 1205 -> ErrorKind.OPERATIONAL;
    default -> null;
  };

  // After the rule: static fields initialise in order.
  static final MariaDbDialect INSTANCE = new MariaDbDialect();

  private final SqlErrorTranslator translator = new SqlErrorTranslator(VENDOR_CODES, ValueFreeMessage.MARIADB);

  private MariaDbDialect() {
  }

  @Override
  public String name() {
    return "mariadb";
  }

  /** A column's values always have its declared type: typed getters read what {@code getObject} would. */
  @Override
  public boolean strictColumnTypes() {
    return true;
  }

  @Override
  public boolean wantsGeneratedKeys(String sql) {
    String keyword = SqlText.firstKeyword(sql, SqlLexing.MARIADB);
    return ("INSERT".equals(keyword) || "REPLACE".equals(keyword))
        && !SqlText.containsKeyword(sql, "RETURNING", SqlLexing.MARIADB);
  }

  @Override
  public SqlLexing lexing() {
    return SqlLexing.MARIADB;
  }

  /** Reads the session's {@code sql_mode}: backslashes escape unless it has NO_BACKSLASH_ESCAPES. */
  @Override
  public boolean backslashEscapes(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet mode = statement.executeQuery("SELECT @@SESSION.sql_mode")) {
      String value = mode.next() ? mode.getString(1) : null;
      return value == null || !value.toUpperCase(Locale.ROOT).contains("NO_BACKSLASH_ESCAPES");
    }
  }

  @Override
  public int defaultFetchSize() {
    return 500;
  }

  /**
   * Read once per physical connection: the engine kills the session ({@code KILL}) when it aborts
   * or evicts a connection, because the server does not notice a dropped client while it runs
   * {@code SLEEP} or is blocked writing a streamed result ("Writing to net", until
   * {@code net_write_timeout}).
   */
  @Override
  public String sessionIdQuery() {
    return "SELECT CONNECTION_ID()";
  }

  /** {@code KILL} (= {@code KILL CONNECTION}): stops the statement and closes the session's socket. */
  @Override
  public String killSessionSql(long sessionId) {
    return "KILL " + sessionId;
  }

  /** 1094: "Unknown thread id", the session ended by itself. */
  @Override
  public boolean isSessionGone(SQLException ex) {
    return ex.getErrorCode() == 1094;
  }

  /**
   * {@code Statement.cancel()}, which Connector/J sends as {@code KILL QUERY} from a connection of
   * its own: the server stops the query and the close reads only the rows already sent. A
   * {@code KILL QUERY} that lands after the query ended is harmless (the server forgets it when the
   * next statement starts).
   */
  @Override
  public void stopAbandonedCursor(Statement statement) throws SQLException {
    statement.cancel();
  }

  @Override
  public boolean isConnectionLost(SQLException ex) {
    return SqlErrorClassifier.isConnectionLost(ex, VENDOR_CODES);
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex) {
    return translator.translate(operation, sql, parameters, ex);
  }

  @Override
  public String toString() {
    return "Dialect[mariadb]";
  }
}
