package io.asyncengine.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.dialect.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The databases the comparison runs on, with the data every contender shares: {@code bench_users(id,
 * name, email, counter)} for lookups and transactions, and {@code bench_stream_rows(id, pad)} for
 * streaming.
 */
public enum BenchDatabase {
  SQLITE("sqlite", Dialect.sqlite()),
  POSTGRESQL("postgresql", Dialect.postgresql());

  /** The lookup every contender runs. */
  public static final String LOOKUP = "select id, name, email from bench_users where id = ?";
  /** W3's read. */
  public static final String READ_COUNTER = "select counter from bench_users where id = ?";
  /** W3's write. */
  public static final String BUMP_COUNTER = "update bench_users set counter = counter + 1 where id = ?";
  /** W5's query. */
  public static final String STREAM = "select id, pad from bench_stream_rows";

  /**
   * The benchmark's own PostgreSQL database: the test suites empty tables in {@code test}, which
   * must never happen under a running comparison.
   */
  private static final String PG_DATABASE = "async_engine_bench";

  private final String label;
  private final Dialect dialect;
  private String sqliteUrl;
  private boolean pgDatabaseChecked;

  BenchDatabase(String label, Dialect dialect) {
    this.label = label;
    this.dialect = dialect;
  }

  /** The JDBC URL; for SQLite a file under the system temp directory, created on first use. */
  public synchronized String jdbcUrl() {
    if (this == POSTGRESQL) {
      ensurePostgresDatabase();
      return "jdbc:postgresql://127.0.0.1:5432/" + PG_DATABASE + "?user=postgres";
    }
    if (sqliteUrl == null) {
      try {
        Path file = Files.createTempFile("async-engine-bench-", ".db");
        file.toFile().deleteOnExit();
        sqliteUrl = "jdbc:sqlite:" + file;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return sqliteUrl;
  }

  private void ensurePostgresDatabase() {
    if (pgDatabaseChecked) {
      return;
    }
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
         Statement statement = connection.createStatement();
         java.sql.ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + PG_DATABASE + "'")) {
      if (!exists.next()) {
        statement.execute("create database " + PG_DATABASE);
      }
      pgDatabaseChecked = true;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot reach PostgreSQL at 127.0.0.1:5432 to create " + PG_DATABASE + ": " + e.getMessage(), e);
    }
  }

  /** The host and port of PostgreSQL, for the reactive clients. */
  public static String pgHost() {
    return "127.0.0.1";
  }

  /** PostgreSQL's port. */
  public static int pgPort() {
    return 5432;
  }

  /**
   * The driver properties the engine opens this database with, taken from its dialect: for SQLite
   * the pragmas (foreign keys, WAL, busy timeout), for PostgreSQL none. Every JDBC contender and
   * the data set-up open their connections with them, so all run on the same connection settings.
   * A fresh copy per call.
   */
  public Properties driverProperties() {
    Properties properties = new Properties();
    properties.putAll(dialect.driverProperties());
    return properties;
  }

  /**
   * A HikariCP pool as every JDBC contender gets it: same size, autocommit on (each contender
   * manages its own transactions), the engine's {@link #driverProperties()}.
   */
  public HikariDataSource hikari(int poolSize, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setPoolName(name);
    config.setConnectionTimeout(60_000);
    config.setDataSourceProperties(driverProperties());
    return new HikariDataSource(config);
  }

  /** (Re)creates the shared data: {@code users} rows and {@code streamRows} rows of ~100 bytes. */
  public void createData(int users, int streamRows) throws SQLException {
    // With the driver properties: on SQLite they switch the file to WAL, which it keeps.
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), driverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("drop table if exists bench_users");
      statement.execute("drop table if exists bench_stream_rows");
      if (this == SQLITE) {
        statement.execute("create table bench_users (id integer primary key, name varchar(50) not null, email varchar(100), counter integer not null default 0)");
        statement.execute("create table bench_stream_rows (id integer primary key, pad varchar(100) not null)");
        statement.execute("insert into bench_users(id, name, email) with recursive r(i) as (select 1 union all select i + 1 from r where i < "
            + users + ") select i, 'user' || i, 'user' || i || '@example.com' from r");
        statement.execute("insert into bench_stream_rows(id, pad) with recursive r(i) as (select 1 union all select i + 1 from r where i < "
            + streamRows + ") select i, printf('%.100c', 'x') from r");
      } else {
        statement.execute("create table bench_users (id bigint primary key, name varchar(50) not null, email varchar(100), counter bigint not null default 0)");
        statement.execute("create table bench_stream_rows (id bigint primary key, pad varchar(100) not null)");
        statement.execute("insert into bench_users(id, name, email) select g, 'user' || g, 'user' || g || '@example.com' from generate_series(1, "
            + users + ") g");
        statement.execute("insert into bench_stream_rows(id, pad) select g, repeat('x', 100) from generate_series(1, " + streamRows + ") g");
        statement.execute("analyze bench_users");
        statement.execute("analyze bench_stream_rows");
      }
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
