package io.asyncengine.spring.app;

import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.spring.StarterDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on postgresql through the usual spring.datasource.url, nothing else. */
@SpringBootTest(classes = StarterApplication.class)
class PostgresApplicationTests extends ApplicationWork {

  private static final String URL = StarterDatabases.POSTGRESQL;

  /** Fails with CI=true, skips otherwise, when postgresql is not reachable. */
  @BeforeAll
  static void requireDatabase() {
    StarterDatabases.require(URL);
  }

  @DynamicPropertySource
  static void datasource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
  }

  @Override
  String database() {
    return "postgresql";
  }

  @Override
  ExecutorMode expectedMode() {
    return ExecutorMode.VIRTUAL;
  }
}
