package io.asyncengine.dialect;

import io.asyncengine.error.ExceptionTranslator;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The engine's default {@link ExceptionTranslator}: classifies with {@link SqlErrorClassifier} and
 * the dialect's {@link VendorCodeRule}, and builds the message
 * {@code "<kind>: <driver message> [SQL: <sql>] [parameters: <parameters>] [SQLState: <state>, vendor code: <code>]"}.
 *
 * <p>The SQL part is left out when there is no SQL (then {@code [operation: <operation>]} names
 * what failed, e.g. commit); the parameters part when they must not be shown or there are none
 * ({@code parameters} null or empty). When they must not be shown ({@code parameters} null: echo
 * off), the driver message is also stripped of the data values the driver repeats in it, by the
 * dialect's {@link ValueFreeMessage} (PostgreSQL's {@code Detail: Key (email)=(…)} line, MariaDB's
 * {@code Duplicate entry '…'}), and for a {@link BatchUpdateException} that has a next exception
 * the next exception's message is used, since pgjdbc's batch message repeats the statement with
 * its values. SQL beyond
 * {@value #MAX_SQL} characters and parameters beyond {@value #MAX_PARAMETERS} are cut with "…".
 * The cause is the driver exception that carries the SQLState; when that is a later link of the
 * {@code getNextException()} chain, the exception first thrown is added as suppressed.
 *
 * <p>Thread: immutable; safe for concurrent use. Never throws.
 */
final class SqlErrorTranslator implements ExceptionTranslator {

  static final int MAX_SQL = 1000;
  static final int MAX_PARAMETERS = 500;

  private final VendorCodeRule vendorRule;
  private final ValueFreeMessage valueFree;

  SqlErrorTranslator(VendorCodeRule vendorRule, ValueFreeMessage valueFree) {
    this.vendorRule = vendorRule;
    this.valueFree = valueFree;
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex) {
    SQLException significant = SqlErrorClassifier.significant(ex);
    ErrorKind kind = SqlErrorClassifier.classify(significant, vendorRule);
    RuntimeException translated =
        kind.newException(message(kind, operation, sql, parameters, significant, valueFree), sql, significant);
    if (significant != ex) {
      translated.addSuppressed(ex);
    }
    return translated;
  }

  static String message(ErrorKind kind, String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex, ValueFreeMessage valueFree) {
    StringBuilder message = new StringBuilder(256).append(kind.description()).append(": ");
    boolean hideValues = parameters == null;
    SQLException described = hideValues && ex instanceof BatchUpdateException && ex.getNextException() != null
        ? ex.getNextException() : ex;
    String driverMessage = described.getMessage();
    message.append(driverMessage == null || driverMessage.isBlank()
        ? ex.getClass().getName() : hideValues ? valueFree.of(driverMessage.strip()) : driverMessage.strip());
    Throwable cause = ex.getCause();
    if (kind == ErrorKind.CONNECTION_LOST && cause != null && cause.getMessage() != null
        && (driverMessage == null || !driverMessage.contains(cause.getMessage()))) {
      // Drivers often say only "Socket error" or "I/O error"; the socket's own words name the cause.
      message.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage().strip())
          .append(')');
    }
    if (sql != null) {
      message.append(" [SQL: ").append(truncate(sql.strip(), MAX_SQL)).append(']');
    } else if (operation != null) {
      message.append(" [operation: ").append(operation).append(']');
    }
    if (parameters != null && !parameters.isEmpty()) {
      message.append(" [parameters: ").append(truncate(parameters, MAX_PARAMETERS)).append(']');
    }
    message.append(" [SQLState: ").append(ex.getSQLState() == null ? "none" : ex.getSQLState())
        .append(", vendor code: ").append(ex.getErrorCode()).append(']');
    return message.toString();
  }

  static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
