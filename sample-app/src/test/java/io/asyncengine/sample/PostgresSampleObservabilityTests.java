package io.asyncengine.sample;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Traces and request ids of the sample's {@code postgres} profile, on the test PostgreSQL database. */
@ActiveProfiles("postgres")
class PostgresSampleObservabilityTests extends SampleObservabilityTests {

  /** Fails with CI=true, skips otherwise, when PostgreSQL is not reachable. */
  @BeforeAll
  static void requireDatabase() {
    TestDatabases.require(TestDatabases.POSTGRESQL);
  }

  @DynamicPropertySource
  static void datasource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> TestDatabases.POSTGRESQL);
  }

  @Override
  String dbSystem() {
    return "postgresql";
  }
}
