package io.asyncengine.dialect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL through pgjdbc.
 *
 * <p>pgjdbc reports vendor code 0 for everything, so errors are classified by SQLState alone.
 * Streaming: pgjdbc reads the whole result unless autocommit is off and the fetch size is
 * positive, in which case it uses a portal and fetches in batches. Read-only: with pgjdbc's
 * default {@code readOnlyMode=transaction}, {@code setReadOnly(true)} only takes effect when
 * autocommit is off (writes in autocommit mode still succeed). {@code setQueryTimeout} and
 * {@code cancel()} both cancel on the server (SQLState 57014).
 *
 * <p>Thread: immutable; safe for concurrent use.
 */
final class PostgresDialect implements Dialect {

  static final PostgresDialect INSTANCE = new PostgresDialect();

  private final SqlErrorTranslator translator = new SqlErrorTranslator(VendorCodeRule.NONE, ValueFreeMessage.POSTGRESQL);

  private PostgresDialect() {
  }

  @Override
  public String name() {
    return "postgresql";
  }

  /** A column's values always have its declared type: typed getters read what {@code getObject} would. */
  @Override
  public boolean strictColumnTypes() {
    return true;
  }

  /**
   * pgjdbc ignores {@code Statement.cancel()} once {@code executeQuery} has returned, so a portal
   * fetch is cancelled through the connection ({@code PGConnection.cancelQuery()}, reached by
   * reflection: the driver is not a compile-time dependency), which sends the server a cancel
   * request for whatever the session runs. The server ignores a cancel request that reaches an idle
   * session. Falls back on {@code Statement.cancel()} when the connection is not pgjdbc's.
   */
  @Override
  public void cancelFetch(Connection connection, Statement statement) {
    try {
      Connection physical = connection.unwrap(Connection.class);
      Method cancelQuery = physical.getClass().getMethod("cancelQuery");
      cancelQuery.invoke(physical);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      Dialect.super.cancelFetch(connection, statement);
    } catch (InvocationTargetException | SQLException | RuntimeException ignored) {
      // Best effort: the fetch then ends by itself.
    }
  }

  @Override
  public SqlLexing lexing() {
    return SqlLexing.POSTGRESQL;
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters,
      SQLException ex) {
    return translator.translate(operation, sql, parameters, ex);
  }

  @Override
  public String toString() {
    return "Dialect[postgresql]";
  }
}
