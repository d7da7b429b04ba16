package io.asyncengine.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.DataException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Provokes real errors on SQLite, PostgreSQL and MariaDB through plain DriverManager connections
 * and checks what the dialects translate them into.
 */
class ErrorTranslationTest {

  enum Db {
    SQLITE("SQLite", null, Dialect.sqlite()),
    POSTGRESQL("PostgreSQL", TestDatabase.serverUrl("POSTGRESQL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"), Dialect.postgresql()),
    MARIADB("MariaDB", TestDatabase.serverUrl("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test?user=root"), Dialect.mariadb());

    final String display;
    final String serverUrl;
    final Dialect dialect;

    Db(String display, String serverUrl, Dialect dialect) {
      this.display = display;
      this.serverUrl = serverUrl;
      this.dialect = dialect;
    }

    @Override
    public String toString() {
      return display;
    }
  }

  private final String table = "dialect_probe_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  private final List<Connection> connections = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private Path sqliteFile;
  private Db db;

  @AfterEach
  void dropTablesAndClose() throws Exception {
    for (Connection connection : connections) {
      if (!connection.isClosed()) {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.close();
      }
    }
    if (db != null && db != Db.SQLITE) {
      try (Connection connection = DriverManager.getConnection(db.serverUrl);
           Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    for (Path file : files) {
      Files.deleteIfExists(file);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void uniqueViolation(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    execute(connection, "INSERT INTO " + table + " (id, name) VALUES (1, 'a')");
    String sql = "INSERT INTO " + table + " (id, name) VALUES (1, 'b')";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, IntegrityViolationException.class, "Unique or other constraint violated", sql);
    assertThat(ex.getMessage()).containsAnyOf("UNIQUE constraint failed", "duplicate key", "Duplicate entry");
    assertCodes(ex, expected(db, null, 19, "23505", 0, "23000", 1062));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void notNullViolation(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    String sql = "INSERT INTO " + table + " (id, name) VALUES (2, NULL)";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, IntegrityViolationException.class, "Unique or other constraint violated", sql);
    assertThat(ex.getMessage()).containsIgnoringCase("null");
    assertCodes(ex, expected(db, null, 19, "23502", 0, "23000", 1048));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void syntaxError(Db db) throws Exception {
    Connection connection = open(db);
    String sql = "SELEC 1";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, ProgrammingException.class, "Syntax error or unknown object", sql);
    assertThat(ex.getMessage()).containsIgnoringCase("syntax");
    assertCodes(ex, expected(db, null, 1, "42601", 0, "42000", 1064));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void unknownTable(Db db) throws Exception {
    Connection connection = open(db);
    String sql = "SELECT * FROM " + table + "_missing";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, ProgrammingException.class, "Syntax error or unknown object", sql);
    assertThat(ex.getMessage()).contains(table + "_missing");
    assertCodes(ex, expected(db, null, 1, "42P01", 0, "42S02", 1146));
  }

  /** SQLite has no length limit on VARCHAR; its nearest failure is a value over the size limit. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void valueTooLong(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    String sql = db == Db.SQLITE
        ? "SELECT zeroblob(2000000000)"
        : "INSERT INTO " + table + " (id, name) VALUES (3, 'abcdefghijk')";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, DataException.class, "Invalid value", sql);
    assertCodes(ex, expected(db, null, 18, "22001", 0, "22001", 1406));
  }

  /** SQLite has no range limits; its nearest failure is a non-integer rowid (datatype mismatch). */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void valueOutOfRange(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    String sql = db == Db.SQLITE
        ? "INSERT INTO " + table + " (id, name) VALUES ('abc', 'x')"
        : "INSERT INTO " + table + " (id, name, small) VALUES (4, 'x', 99999999)";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, DataException.class, "Invalid value", sql);
    assertCodes(ex, expected(db, null, 20, "22003", 0, "22003", 1264));
  }

  /**
   * SQLite yields NULL; MariaDB only fails in a strict INSERT with ERROR_FOR_DIVISION_BY_ZERO, and
   * then throws SQLSyntaxErrorException with SQLState 22012.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void divisionByZero(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    switch (db) {
      case SQLITE -> {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 / 0")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getObject(1)).isNull();
        }
      }
      case POSTGRESQL -> {
        RuntimeException ex = provoke(connection, "SELECT 1 / 0");
        assertTranslated(ex, DataException.class, "Invalid value", "SELECT 1 / 0");
        assertCodes(ex, "22012", 0);
      }
      case MARIADB -> {
        execute(connection, "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO'");
        String sql = "INSERT INTO " + table + " (id, name, small) VALUES (5, 'x', 1 / 0)";
        RuntimeException ex = provoke(connection, sql);
        assertTranslated(ex, DataException.class, "Invalid value", sql);
        assertThat(ex.getCause()).isInstanceOf(java.sql.SQLSyntaxErrorException.class);
        assertCodes(ex, "22012", 1365);
      }
    }
  }

  /** Servers cancel on setQueryTimeout; sqlite-jdbc's query timeout does not, so SQLite is cancelled. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void statementTimeout(Db db) throws Exception {
    Connection connection = open(db);
    String sql = switch (db) {
      case SQLITE -> "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r";
      case POSTGRESQL -> "SELECT pg_sleep(5)";
      case MARIADB -> "SELECT SLEEP(5)";
    };
    long start = System.nanoTime();
    SQLException thrown;
    try (Statement statement = connection.createStatement();
         ExecutorService canceller = Executors.newVirtualThreadPerTaskExecutor()) {
      if (db == Db.SQLITE) {
        canceller.submit(() -> {
          Thread.sleep(300);
          statement.cancel();
          return null;
        });
      } else {
        statement.setQueryTimeout(1);
      }
      thrown = expectFailure(() -> statement.executeQuery(sql).next());
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
    RuntimeException ex = db.dialect.translate("execute", sql, null, thrown);
    assertTranslated(ex, StatementTimeoutException.class, "Statement timed out or was cancelled", sql);
    assertCodes(ex, expected(db, null, 9, "57014", 0, "70100", 1969));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Db.class, names = {"POSTGRESQL", "MARIADB"})
  void deadlock(Db db) throws Exception {
    Connection first = open(db);
    Connection second = open(db);
    createTable(first);
    execute(first, "INSERT INTO " + table + " (id, name) VALUES (1, 'a'), (2, 'b')");
    first.setAutoCommit(false);
    second.setAutoCommit(false);
    execute(first, "UPDATE " + table + " SET name = 'x' WHERE id = 1");
    execute(second, "UPDATE " + table + " SET name = 'y' WHERE id = 2");
    String firstSql = "UPDATE " + table + " SET name = 'x' WHERE id = 2";
    String secondSql = "UPDATE " + table + " SET name = 'y' WHERE id = 1";
    List<SQLException> failures = new ArrayList<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> blocked = executor.submit(() -> execute(first, firstSql));
      Thread.sleep(300);
      Future<?> deadlocking = executor.submit(() -> execute(second, secondSql));
      for (Future<?> future : List.of(blocked, deadlocking)) {
        try {
          future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add((SQLException) e.getCause());
        }
      }
    }
    assertThat(failures).hasSize(1);
    RuntimeException ex = db.dialect.translate("execute", secondSql, null, failures.get(0));
    assertThat(ex).isInstanceOf(SerializationFailureException.class);
    assertThat(ex.getMessage()).startsWith("Serialization failure or deadlock").containsIgnoringCase("deadlock");
    assertCodes(ex, expected(db, null, 0, "40P01", 0, "40001", 1213));
  }

  @Test
  void postgresSerializationFailure() throws Exception {
    Connection first = open(Db.POSTGRESQL);
    Connection second = open(Db.POSTGRESQL);
    createTable(first);
    execute(first, "INSERT INTO " + table + " (id, name) VALUES (1, 'a')");
    for (Connection connection : List.of(first, second)) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      execute(connection, "SELECT name FROM " + table);
    }
    execute(first, "UPDATE " + table + " SET name = 'x' WHERE id = 1");
    first.commit();
    String sql = "UPDATE " + table + " SET name = 'y' WHERE id = 1";
    RuntimeException ex = provoke(second, sql);
    assertTranslated(ex, SerializationFailureException.class, "Serialization failure or deadlock", sql);
    assertCodes(ex, "40001", 0);
  }

  @Test
  void postgresStatementAfterAnErrorInTheTransaction() throws Exception {
    Connection connection = open(Db.POSTGRESQL);
    connection.setAutoCommit(false);
    assertThat(provoke(connection, "SELEC 1")).isInstanceOf(ProgrammingException.class);
    RuntimeException ex = provoke(connection, "SELECT 1");
    assertTranslated(ex, PendingRollbackException.class, "Transaction aborted by an earlier error", "SELECT 1");
    assertCodes(ex, "25P02", 0);
  }

  /** Read-only takes effect in the next transaction; pgjdbc ignores it in autocommit mode. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void writeRejectedWhenReadOnly(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    db.dialect.setReadOnly(connection, true);
    connection.setAutoCommit(false);
    String sql = "INSERT INTO " + table + " (id, name) VALUES (7, 'r')";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, OperationalException.class, "Write rejected, the database or transaction is read-only", sql);
    assertCodes(ex, expected(db, null, 8, "25006", 0, "25006", 1792));
    connection.rollback();
    connection.setAutoCommit(true);
    db.dialect.setReadOnly(connection, false);
    execute(connection, sql);
  }

  @Test
  void sqliteBusyDatabaseIsOperational() throws Exception {
    Connection writer = open(Db.SQLITE);
    Connection blocked = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile + "?busy_timeout=100");
    connections.add(blocked);
    createTable(writer);
    writer.setAutoCommit(false);
    execute(writer, "INSERT INTO " + table + " (id, name) VALUES (1, 'a')");
    String sql = "INSERT INTO " + table + " (id, name) VALUES (2, 'b')";
    RuntimeException ex = provoke(blocked, sql);
    assertTranslated(ex, OperationalException.class, "Database unavailable, locked or connection lost", sql);
    assertThat(ex.getMessage()).contains("locked");
    assertCodes(ex, null, 5);
  }

  @Test
  void sqliteDriverPropertiesEnforceForeignKeys() throws Exception {
    java.util.Properties pragmas = new java.util.Properties();
    pragmas.putAll(Dialect.sqlite().driverProperties());
    Path file = Files.createTempFile("dialect_probe_fk_", ".db");
    files.add(file);
    Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file, pragmas);
    connection.setAutoCommit(false); // as the engine's pool runs it: the pragma must survive that
    connections.add(connection);
    db = Db.SQLITE;
    createTable(connection);
    execute(connection, "CREATE TABLE " + table + "_child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "
        + table + " (id))");
    String sql = "INSERT INTO " + table + "_child (id, parent) VALUES (1, 42)";
    RuntimeException ex = provoke(connection, sql);
    assertTranslated(ex, IntegrityViolationException.class, "Unique or other constraint violated", sql);
    assertThat(ex.getMessage()).contains("FOREIGN KEY");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void streamingPreparationIsAccepted(Db db) throws Exception {
    Connection connection = open(db);
    createTable(connection);
    execute(connection, "INSERT INTO " + table + " (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      db.dialect.prepareForStreaming(statement, 2);
      int count = 0;
      try (ResultSet rows = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
        while (rows.next()) {
          count++;
        }
      }
      assertThat(count).isEqualTo(3);
    }
    connection.commit();
  }

  // --- helpers

  private Connection open(Db db) throws Exception {
    Connection connection;
    if (db == Db.SQLITE) {
      if (sqliteFile == null) {
        sqliteFile = Files.createTempFile("dialect_probe_", ".db");
        files.add(sqliteFile);
      }
      connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
    } else {
      try {
        connection = DriverManager.getConnection(db.serverUrl);
      } catch (SQLException e) {
        String where = db.serverUrl.substring(db.serverUrl.indexOf("//") + 2, db.serverUrl.lastIndexOf('/'));
        String reason = db.display + " not reachable at " + where;
        if ("true".equals(System.getenv("CI"))) {
          fail(reason + " (CI=true, so this fails): " + e.getMessage(), e);
        }
        Assumptions.abort(reason + ": skipped");
        throw e;
      }
    }
    // Set only once connected, so cleanup does not try an unreachable server again.
    this.db = db;
    connections.add(connection);
    return connection;
  }

  private void createTable(Connection connection) throws SQLException {
    execute(connection, "CREATE TABLE " + table
        + " (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL, small SMALLINT)");
  }

  private static Void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
    return null;
  }

  private RuntimeException provoke(Connection connection, String sql) {
    SQLException thrown = expectFailure(() -> execute(connection, sql));
    return db.dialect.translate("execute", sql, null, thrown);
  }

  @FunctionalInterface
  private interface SqlAction {
    Object run() throws SQLException;
  }

  private static SQLException expectFailure(SqlAction action) {
    try {
      action.run();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("expected the database to fail");
  }

  private static void assertTranslated(RuntimeException ex, Class<? extends RuntimeException> type,
      String kind, String sql) {
    assertThat(ex).isInstanceOf(type).hasCauseInstanceOf(SQLException.class);
    assertThat(ex.getMessage()).startsWith(kind).contains("[SQL: " + sql + "]");
    assertThat(((AsyncEngineException) ex).sql()).isEqualTo(sql);
  }

  private static Object[] expected(Db db, String sqliteState, int sqliteCode, String pgState, int pgCode,
      String mariaState, int mariaCode) {
    return switch (db) {
      case SQLITE -> new Object[] {sqliteState, sqliteCode};
      case POSTGRESQL -> new Object[] {pgState, pgCode};
      case MARIADB -> new Object[] {mariaState, mariaCode};
    };
  }

  private static void assertCodes(RuntimeException ex, Object[] codes) {
    assertCodes(ex, (String) codes[0], (Integer) codes[1]);
  }

  private static void assertCodes(RuntimeException ex, String sqlState, int vendorCode) {
    AsyncEngineException engineException = (AsyncEngineException) ex;
    assertThat(engineException.sqlState()).isEqualTo(sqlState);
    assertThat(engineException.vendorCode()).isEqualTo(vendorCode);
    assertThat(ex.getMessage()).endsWith("[SQLState: " + (sqlState == null ? "none" : sqlState)
        + ", vendor code: " + vendorCode + "]");
  }
}
