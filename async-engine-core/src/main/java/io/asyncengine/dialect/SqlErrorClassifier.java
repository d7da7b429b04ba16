package io.asyncengine.dialect;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.jspecify.annotations.Nullable;

/**
 * Decides the {@link ErrorKind} of a driver's {@link SQLException}: first the dialect's vendor
 * codes, then the SQLState, then the JDBC subclass, else {@link ErrorKind#OTHER}.
 *
 * <p>The SQLState outranks the JDBC subclass because drivers pick the subclass loosely: MariaDB
 * Connector/J 3.5 throws {@code SQLSyntaxErrorException} for division by zero (22012) and
 * {@code SQLTransientConnectionException} for an unset parameter (07004). What the drivers really
 * report, provoked against SQLite 3.53 (sqlite-jdbc 3.53.4.0), PostgreSQL 15 (pgjdbc 42.7.14) and
 * MariaDB 10.11 (Connector/J 3.5.10):
 *
 * <table>
 *   <caption>SQLState / vendor code observed, and the resulting kind</caption>
 *   <tr><th>Failure</th><th>SQLite</th><th>PostgreSQL</th><th>MariaDB</th><th>Kind</th></tr>
 *   <tr><td>unique / primary key</td><td>null / 19</td><td>23505</td><td>23000 / 1062</td><td>INTEGRITY</td></tr>
 *   <tr><td>not null</td><td>null / 19</td><td>23502</td><td>23000 / 1048</td><td>INTEGRITY</td></tr>
 *   <tr><td>check</td><td>null / 19</td><td>23514</td><td>23000 / 4025</td><td>INTEGRITY</td></tr>
 *   <tr><td>value too long</td><td>none (no limit); null / 18 for a blob over the size limit</td><td>22001</td><td>22001 / 1406</td><td>DATA</td></tr>
 *   <tr><td>out of range</td><td>none</td><td>22003</td><td>22003 / 1264</td><td>DATA</td></tr>
 *   <tr><td>wrong type</td><td>null / 20 (rowid); null / 19 in STRICT tables</td><td>22P02</td><td>22007 / 1366</td><td>DATA (INTEGRITY for STRICT)</td></tr>
 *   <tr><td>division by zero</td><td>none (NULL)</td><td>22012</td><td>22012 / 1365 (strict INSERT only)</td><td>DATA</td></tr>
 *   <tr><td>syntax error</td><td>null / 1</td><td>42601</td><td>42000 / 1064</td><td>PROGRAMMING</td></tr>
 *   <tr><td>unknown table</td><td>null / 1</td><td>42P01</td><td>42S02 / 1146</td><td>PROGRAMMING</td></tr>
 *   <tr><td>unknown column</td><td>null / 1</td><td>42703</td><td>42S22 / 1054</td><td>PROGRAMMING</td></tr>
 *   <tr><td>unknown database</td><td>-</td><td>3D000</td><td>42000 / 1049</td><td>PROGRAMMING</td></tr>
 *   <tr><td>query timeout / cancel</td><td>null / 9 ({@code cancel()} only)</td><td>57014</td><td>70100 / 1969 (timeout), 70100 / 1317 (KILL QUERY)</td><td>STATEMENT_TIMEOUT</td></tr>
 *   <tr><td>deadlock</td><td>-</td><td>40P01</td><td>40001 / 1213</td><td>SERIALIZATION_FAILURE</td></tr>
 *   <tr><td>serialization conflict</td><td>-</td><td>40001</td><td>-</td><td>SERIALIZATION_FAILURE</td></tr>
 *   <tr><td>statement in aborted transaction</td><td>-</td><td>25P02</td><td>-</td><td>PENDING_ROLLBACK</td></tr>
 *   <tr><td>write when read-only</td><td>null / 8</td><td>25006</td><td>25006 / 1792</td><td>READ_ONLY</td></tr>
 *   <tr><td>database locked</td><td>null / 5</td><td>-</td><td>-</td><td>OPERATIONAL</td></tr>
 *   <tr><td>connection killed / closed</td><td>null / 0 (no kind)</td><td>57P01 or 08006, then 08003</td><td>70100 / 1927 or 08000 / -1, then 08000 / 1220</td><td>CONNECTION_LOST</td></tr>
 *   <tr><td>connection refused</td><td>-</td><td>08001</td><td>08000 / 0</td><td>CONNECTION_LOST</td></tr>
 *   <tr><td>unset parameter</td><td>none (binds NULL)</td><td>22023</td><td>07004 / -1</td><td>DATA / PROGRAMMING</td></tr>
 * </table>
 *
 * <p>sqlite-jdbc never sets a SQLState and reports the primary result code in
 * {@code getErrorCode()} (the extended code only in the message), so the SQLite rule masks with
 * {@code 0xFF} in case a version reports extended codes. pgjdbc always reports vendor code 0.
 *
 * <p>Thread: stateless; safe for concurrent use.
 */
final class SqlErrorClassifier {

  private SqlErrorClassifier() {
  }

  /**
   * The exception whose SQLState and vendor code describe the failure: {@code ex} itself, or when
   * it has no SQLState the first exception in its {@code getNextException()} chain that has one.
   */
  static SQLException significant(SQLException ex) {
    if (ex.getSQLState() != null) {
      return ex;
    }
    // Bounded: some drivers build cyclic chains by mistake.
    SQLException next = ex.getNextException();
    for (int i = 0; next != null && next != ex && i < 100; i++) {
      if (next.getSQLState() != null) {
        return next;
      }
      next = next.getNextException();
    }
    return ex;
  }

  /**
   * Whether {@code ex} says the connection is gone: {@link ErrorKind#CONNECTION_LOST} by
   * {@code vendorRule}, the SQLState or the JDBC subclass, judged on the {@link #significant} link.
   */
  static boolean isConnectionLost(SQLException ex, VendorCodeRule vendorRule) {
    return classify(significant(ex), vendorRule) == ErrorKind.CONNECTION_LOST;
  }

  /** The kind of {@code ex} (already passed through {@link #significant}), never {@code null}. */
  static ErrorKind classify(SQLException ex, VendorCodeRule vendorRule) {
    ErrorKind kind = vendorRule.classify(ex);
    if (kind == null) {
      kind = bySqlState(ex.getSQLState());
    }
    if (kind == null) {
      kind = byJdbcClass(ex);
    }
    return kind;
  }

  /** The kind a standard or well-known SQLState means, or {@code null} when it says nothing useful. */
  static @Nullable ErrorKind bySqlState(@Nullable String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return null;
    }
    switch (sqlState) {
      case "57014", "HYT00", "HYT01" -> {
        return ErrorKind.STATEMENT_TIMEOUT;
      }
      case "40001", "40P01" -> {
        return ErrorKind.SERIALIZATION_FAILURE;
      }
      case "40002" -> {
        return ErrorKind.INTEGRITY;
      }
      case "25P02" -> {
        return ErrorKind.PENDING_ROLLBACK;
      }
      case "25006" -> {
        return ErrorKind.READ_ONLY;
      }
      // Administrator shutdown or pg_terminate_backend, crash shutdown, cannot connect now.
      case "57P01", "57P02", "57P03" -> {
        return ErrorKind.CONNECTION_LOST;
      }
      default -> {
        // fall through to the class
      }
    }
    return switch (sqlState.substring(0, 2)) {
      case "23" -> ErrorKind.INTEGRITY;
      case "22" -> ErrorKind.DATA;
      // 3D/3F: unknown database or schema; MariaDB reports the same failure as 42000.
      case "42", "07", "0A", "3D", "3F" -> ErrorKind.PROGRAMMING;
      // 28: login refused; 40: other rollbacks; 55: lock not available / object in use;
      // 57: server shutdown or crash (57014 handled above); 58: system / I/O error.
      case "08" -> ErrorKind.CONNECTION_LOST;
      case "28", "40", "53", "55", "57", "58" -> ErrorKind.OPERATIONAL;
      default -> null;
    };
  }

  /** The kind the JDBC 4 subclass of {@code ex} means. */
  static ErrorKind byJdbcClass(SQLException ex) {
    if (ex instanceof SQLTimeoutException) {
      return ErrorKind.STATEMENT_TIMEOUT;
    }
    if (ex instanceof SQLTransactionRollbackException) {
      return ErrorKind.SERIALIZATION_FAILURE;
    }
    if (ex instanceof SQLIntegrityConstraintViolationException) {
      return ErrorKind.INTEGRITY;
    }
    if (ex instanceof SQLDataException) {
      return ErrorKind.DATA;
    }
    if (ex instanceof SQLSyntaxErrorException || ex instanceof SQLFeatureNotSupportedException) {
      return ErrorKind.PROGRAMMING;
    }
    if (ex instanceof SQLNonTransientConnectionException || ex instanceof SQLRecoverableException) {
      return ErrorKind.CONNECTION_LOST;
    }
    if (ex instanceof SQLTransientConnectionException || ex instanceof SQLInvalidAuthorizationSpecException) {
      return ErrorKind.OPERATIONAL;
    }
    return ErrorKind.OTHER;
  }
}
