package io.asyncengine.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Traces and request ids of the sample on its zero-configuration SQLite file. */
class SqliteSampleObservabilityTests extends SampleObservabilityTests {

  @DynamicPropertySource
  static void sqliteFile(DynamicPropertyRegistry registry) {
    registry.add("async-engine.sqlite.path", () -> TestDatabases.sqliteFile().toString());
  }

  @Override
  String dbSystem() {
    return "sqlite";
  }
}
