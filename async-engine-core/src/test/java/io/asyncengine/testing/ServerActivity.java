package io.asyncengine.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What the database server is running, seen from a connection of its own: the statements whose
 * text contains a marker (PostgreSQL {@code pg_stat_activity}, MariaDB
 * {@code information_schema.processlist}). SQLite has no server: nothing runs once the engine's
 * threads have returned, which the tests check through the pool instead.
 */
public final class ServerActivity {

  private ServerActivity() {}

  /**
   * {@code prefix} made unique to this run: statements orphaned by an earlier JVM (a killed build)
   * may still run on the server and must not count.
   */
  public static String marker(String prefix) {
    return prefix + "_" + Long.toString(System.nanoTime() & 0xffffffL, 36);
  }

  /** A statement that runs for far longer than any test waits, carrying {@code marker} in its text. */
  public static String slowQuery(TestDatabase db, String marker) {
    return switch (db) {
      case POSTGRESQL -> "select pg_sleep(30) as " + marker;
      case MARIADB -> "select sleep(30) as " + marker;
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select count(*) as "
          + marker + " from r";
    };
  }

  /** A query with very many rows (minutes to read them all), for streaming. */
  public static String endlessRows(TestDatabase db, String marker) {
    return switch (db) {
      // generate_series in the select list streams; in FROM it would be materialized first.
      case POSTGRESQL -> "select generate_series(1, 2000000000) as " + marker;
      case MARIADB -> "select seq as " + marker + " from seq_1_to_2000000000";
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000000000) select i as "
          + marker + " from r";
    };
  }

  /** Statements running now whose text contains {@code marker}, excluding this check's own. 0 on SQLite. */
  public static int running(TestDatabase db, String marker) {
    return count(db, marker, "state <> 'idle'");
  }

  /**
   * Statements with {@code marker} executing now, excluding this check's own: unlike
   * {@link #running}, a PostgreSQL session left "idle in transaction (aborted)" by a cancel whose
   * rollback has not run yet does not count. 0 on SQLite.
   */
  public static int executing(TestDatabase db, String marker) {
    return count(db, marker, "state = 'active'");
  }

  private static int count(TestDatabase db, String marker, String postgresStateFilter) {
    String sql = switch (db) {
      case POSTGRESQL -> "select count(*) from pg_stat_activity where query like ? and pid <> pg_backend_pid() and "
          + postgresStateFilter;
      case MARIADB -> "select count(*) from information_schema.processlist where info like ? and id <> connection_id()";
      case SQLITE -> null;
    };
    if (sql == null) {
      return 0;
    }
    try (Connection connection = db.rawConnection(db.url()); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, "%" + marker + "%");
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the server's activity: " + e.getMessage(), e);
    }
  }

  /** The text of the statements with {@code marker} running now, for failure messages. */
  public static String describe(TestDatabase db, String marker) {
    String sql = switch (db) {
      case POSTGRESQL -> "select state || ': ' || query from pg_stat_activity where query like ? and pid <> pg_backend_pid() and state <> 'idle'";
      case MARIADB -> "select concat(command, ' ', coalesce(state, ''), ': ', info) from information_schema.processlist where info like ? and id <> connection_id()";
      case SQLITE -> null;
    };
    if (sql == null) {
      return "";
    }
    try (Connection connection = db.rawConnection(db.url()); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, "%" + marker + "%");
      StringBuilder text = new StringBuilder();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          text.append(rows.getString(1)).append("; ");
        }
      }
      return text.toString();
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** Waits until no statement with {@code marker} runs; returns how long that took. Fails after {@code limit}. */
  public static Duration awaitNone(TestDatabase db, String marker, Duration limit) {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
    int count;
    while ((count = running(db, marker)) > 0) {
      if (System.nanoTime() > end) {
        throw new AssertionError(count + " statements marked " + marker + " still run on " + db + " after " + limit
            + ": " + describe(db, marker));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
