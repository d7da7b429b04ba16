package io.asyncengine.testing;

import io.asyncengine.asyncio.AsyncEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The three databases every core behaviour is tested on. SQLite is always there (a fresh file per
 * engine); PostgreSQL and MariaDB are the machine's services. When one of those is unreachable the
 * test fails if {@code CI=true} and is skipped with a one-line reason otherwise.
 */
public enum TestDatabase {
  SQLITE("sqlite", null),
  POSTGRESQL("postgresql", serverUrl("POSTGRESQL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres")),
  MARIADB("mariadb", serverUrl("MARIADB", "jdbc:mariadb://127.0.0.1:3306/test?user=root"));

  private static final ConcurrentHashMap<TestDatabase, String> UNREACHABLE = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<TestDatabase, Boolean> CHECKED = new ConcurrentHashMap<>();

  private final String label;
  private final String serverUrl;

  TestDatabase(String label, String serverUrl) {
    this.label = label;
    this.serverUrl = serverUrl;
  }

  /**
   * The server URL, unless the environment variable {@code ASYNC_ENGINE_TEST_<NAME>_URL} names
   * another database (so that two builds on one machine do not share tables).
   */
  public static String serverUrl(String name, String defaultUrl) {
    String override = System.getenv("ASYNC_ENGINE_TEST_" + name + "_URL");
    return override == null || override.isBlank() ? defaultUrl : override;
  }

  /** A JDBC URL for a new engine: a fresh SQLite file, or the shared server database. */
  public String url() {
    if (serverUrl != null) {
      requireReachable();
      return serverUrl;
    }
    try {
      Path file = Files.createTempFile("async-engine-test-", ".db");
      file.toFile().deleteOnExit();
      return "jdbc:sqlite:" + file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An engine with a small pool, customised by {@code customizer}. */
  public AsyncEngine engine(UnaryOperator<AsyncEngine.Builder> customizer) {
    AsyncEngine.Builder builder = AsyncEngine.builder()
        .url(url())
        .maxPoolSize(4)
        .minIdle(1)
        .connectionTimeout(Duration.ofSeconds(10))
        .shutdownGracePeriod(Duration.ofSeconds(5));
    return customizer.apply(builder).build();
  }

  /** An engine with a small pool. */
  public AsyncEngine engine() {
    return engine(UnaryOperator.identity());
  }

  /** A plain JDBC connection for checks made behind the engine's back. */
  public Connection rawConnection(String url) throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** Whether this is SQLite. */
  public boolean isSqlite() {
    return this == SQLITE;
  }

  /** Fails (CI) or aborts (elsewhere) the current test when the server cannot be reached. */
  public void requireReachable() {
    if (serverUrl == null) {
      return;
    }
    CHECKED.computeIfAbsent(this, db -> {
      try (Connection ignored = DriverManager.getConnection(serverUrl)) {
        return true;
      } catch (SQLException e) {
        UNREACHABLE.put(db, e.getMessage());
        return false;
      }
    });
    String problem = UNREACHABLE.get(this);
    if (problem != null) {
      String reason = label + " not reachable at " + serverUrl.replaceAll("\\?.*", "") + ": " + problem;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true requires every database)");
      }
      Assumptions.abort(reason + ": skipped");
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
