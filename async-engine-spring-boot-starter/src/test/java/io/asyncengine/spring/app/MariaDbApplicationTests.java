package io.asyncengine.spring.app;

import io.asyncengine.concurrent.ExecutorMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on mariadb through the usual spring.datasource.url, nothing else. */
@SpringBootTest(classes = StarterApplication.class)
class MariaDbApplicationTests extends ApplicationWork {

  private static final String URL = url();

  private static String url() {
    String value = System.getenv("ASYNC_ENGINE_TEST_MARIADB_URL");
    return value == null || value.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/test?user=root" : value;
  }

  /** Fails with CI=true, skips otherwise, when mariadb is not reachable. */
  @BeforeAll
  static void requireDatabase() {
    try (Connection ignored = DriverManager.getConnection(URL)) {
      // reachable
    } catch (SQLException e) {
      String reason = "mariadb not reachable at " + URL.replaceAll("\\?.*", "") + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true requires every database)");
      }
      Assumptions.abort(reason + ": skipped");
    }
  }

  @DynamicPropertySource
  static void datasource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
  }

  @Override
  String database() {
    return "mariadb";
  }

  @Override
  ExecutorMode expectedMode() {
    return ExecutorMode.VIRTUAL;
  }
}
