package io.asyncengine.dialect;

import io.asyncengine.core.IsolationLevel;
import io.asyncengine.error.DatabaseException;
import io.asyncengine.error.ExceptionTranslator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** STUB. */
public interface Dialect {
  String name();
  static Dialect forJdbcUrl(String url) { String n = url.startsWith("jdbc:sqlite") ? "sqlite" : url.startsWith("jdbc:postgresql") ? "postgresql" : "mariadb"; return () -> n; }
  static Dialect forProductName(String p) { return () -> p.toLowerCase(); }
  default boolean isInMemory(String url) { return url.contains(":memory:"); }
  default String connectionInitSql() { return null; }
  default boolean wantsGeneratedKeys(String sql) { return sql.trim().toLowerCase().startsWith("insert") && !sql.toLowerCase().contains("returning"); }
  default void prepareForStreaming(Statement s, int fetchSize) throws SQLException { s.setFetchSize(fetchSize); }
  default int defaultFetchSize() { return 500; }
  default IsolationLevel effectiveIsolation(IsolationLevel l) { return l; }
  default void setReadOnly(Connection c, boolean ro) throws SQLException { c.setReadOnly(ro); }
  default boolean supportsStatementCancel() { return true; }
  default RuntimeException translate(String op, String sql, String params, SQLException ex) { return new DatabaseException(ex.getMessage() + " [SQL: " + sql + "]", sql, ex); }
  default ExceptionTranslator exceptionTranslator() { return this::translate; }
}
