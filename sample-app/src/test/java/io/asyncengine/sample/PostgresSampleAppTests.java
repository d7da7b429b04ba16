package io.asyncengine.sample;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's {@code postgres} profile, on the test PostgreSQL database. */
@ActiveProfiles("postgres")
class PostgresSampleAppTests extends SampleAppTests {

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
  String sleepSql() {
    return "select pg_sleep(60)";
  }

  @Override
  String insertUsersSql(int count, String prefix) {
    return "insert into sample_users(name, email, version) select '" + prefix + "-' || g || '-' || repeat('x', 100), '"
        + prefix + "-' || g || '@example.org', 1 from generate_series(1, " + count + ") g";
  }

  @Override
  long statementsRunning(String fragment) {
    Number n = Await.result(engine.runSync(c -> c.execute(
        "select count(*) from pg_stat_activity where pid <> pg_backend_pid() and state <> 'idle' and query like ?",
        "%" + fragment + "%").scalar(Number.class)));
    return n == null ? 0 : n.longValue();
  }
}
