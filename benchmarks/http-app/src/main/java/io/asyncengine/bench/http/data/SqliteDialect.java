package io.asyncengine.bench.http.data;

import org.springframework.data.jdbc.core.dialect.JdbcArrayColumns;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.dialect.AnsiDialect;

/**
 * Spring Data JDBC has no SQLite dialect: ANSI SQL (double-quoted identifiers) is what these
 * repositories need of it. What an application on SQLite has to supply.
 */
final class SqliteDialect extends AnsiDialect implements JdbcDialect {

  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public JdbcArrayColumns getArraySupport() {
    return JdbcArrayColumns.Unsupported.INSTANCE;
  }
}
