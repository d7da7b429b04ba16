package io.asyncengine.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases of the starter's tests. PostgreSQL and MariaDB are the machine's services, at
 * {@code ASYNC_ENGINE_TEST_POSTGRESQL_URL} / {@code ASYNC_ENGINE_TEST_MARIADB_URL} or the local
 * {@code test} databases; when one is unreachable a test fails with {@code CI=true} and is skipped
 * with the reason otherwise. Tables of these tests start with {@code starter_}.
 */
public final class StarterDatabases {

  public static final String POSTGRESQL = url("POSTGRESQL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  public static final String MARIADB = url("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
  /** A PostgreSQL URL on a port nothing listens on. */
  static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:9/starter_nowhere?user=postgres&connectTimeout=1";

  private static final ConcurrentHashMap<String, String> PROBLEMS = new ConcurrentHashMap<>();

  private StarterDatabases() {}

  private static String url(String name, String fallback) {
    String value = System.getenv("ASYNC_ENGINE_TEST_" + name + "_URL");
    return value == null || value.isBlank() ? fallback : value;
  }

  /** {@code url}, once it answers; fails (CI) or skips the calling test otherwise. */
  public static String require(String url) {
    String problem = PROBLEMS.computeIfAbsent(url, u -> {
      try (Connection ignored = DriverManager.getConnection(u)) {
        return "";
      } catch (SQLException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
      }
    });
    if (!problem.isEmpty()) {
      String reason = url.replaceAll("\\?.*", "") + " not reachable: " + problem;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true requires every database)");
      }
      Assumptions.abort(reason + ": skipped");
    }
    return url;
  }

  /** The JDBC URL of a fresh SQLite file {@code name} in a new temporary directory. */
  static String sqliteUrl(String name) {
    try {
      return "jdbc:sqlite:" + Files.createTempDirectory("starter-").resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh SQLite file path in a new temporary directory (the directory exists, the file not). */
  static Path sqliteFile() {
    try {
      return Files.createTempDirectory("starter-").resolve("data").resolve("app.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
