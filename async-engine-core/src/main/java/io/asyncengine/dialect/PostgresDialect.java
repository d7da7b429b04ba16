package io.asyncengine.dialect;

import java.sql.SQLException;
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
