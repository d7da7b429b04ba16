package io.asyncengine.testing;

import io.asyncengine.core.Engine;
import io.asyncengine.core.SqlConnection;

/** Creates the tables the tests use, in each database's own DDL. */
public final class Schema {

  private Schema() {}

  /** (Re)creates {@code users(id, name, email, created_at, active)} with a generated id. */
  public static void users(Engine engine, TestDatabase db) {
    String id = switch (db) {
      case SQLITE -> "id integer primary key autoincrement";
      case POSTGRESQL -> "id bigserial primary key";
      case MARIADB -> "id bigint auto_increment primary key";
    };
    String timestamp = db == TestDatabase.MARIADB ? "datetime(6)" : "timestamp";
    recreate(engine, "users",
        "create table users (" + id + ", name varchar(50) not null, email varchar(100) unique, "
            + "created_at " + timestamp + ", active boolean)");
  }

  /** Drops {@code table} if it exists and runs {@code ddl}, committed. */
  public static void recreate(Engine engine, String table, String ddl) {
    try (SqlConnection connection = engine.connect()) {
      connection.execute("drop table if exists " + table);
      connection.execute(ddl);
      connection.commit();
    }
  }

  /** Drops {@code table} if it exists, committed. */
  public static void drop(Engine engine, String table) {
    try (SqlConnection connection = engine.connect()) {
      connection.execute("drop table if exists " + table);
      connection.commit();
    }
  }
}
