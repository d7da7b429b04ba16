package io.asyncengine.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases of the sample's tests: PostgreSQL at {@code ASYNC_ENGINE_TEST_POSTGRESQL_URL} or
 * the local {@code test} database; when it is unreachable a test fails with {@code CI=true} and is
 * skipped with the reason otherwise. The sample's tables start with {@code sample_}.
 */
final class TestDatabases {

  static final String POSTGRESQL = url("POSTGRESQL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private TestDatabases() {}

  private static String url(String name, String fallback) {
    String value = System.getenv("ASYNC_ENGINE_TEST_" + name + "_URL");
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Fails (CI) or skips the calling test class when {@code url} does not answer. */
  static void require(String url) {
    try {
      DriverManager.getConnection(url).close();
    } catch (SQLException e) {
      String reason = url.replaceAll("\\?.*", "") + " not reachable: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true requires every database)");
      }
      Assumptions.abort(reason + ": skipped");
    }
  }

  /** A fresh SQLite file path in a new temporary directory. */
  static Path sqliteFile() {
    try {
      return Files.createTempDirectory("sample-app-").resolve("data").resolve("sample.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
