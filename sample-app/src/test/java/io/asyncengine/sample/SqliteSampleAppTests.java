package io.asyncengine.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample with zero configuration: the starter's SQLite file (here in a temporary directory). */
class SqliteSampleAppTests extends SampleAppTests {

  @DynamicPropertySource
  static void sqliteFile(DynamicPropertyRegistry registry) {
    registry.add("async-engine.sqlite.path", () -> TestDatabases.sqliteFile().toString());
  }

  @Override
  String sleepSql() {
    // A recursive count that runs for minutes unless interrupted.
    return "with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000000000) select count(*) from c";
  }

  @Override
  String insertUsersSql(int count, String prefix) {
    return "with recursive c(x) as (select 1 union all select x + 1 from c where x < " + count + ") "
        + "insert into sample_users(name, email, version) "
        + "select '" + prefix + "-' || x || '-' || substr(hex(zeroblob(60)), 1, 100), '" + prefix
        + "-' || x || '@example.org', 1 from c";
  }

  @Override
  long statementsRunning(String fragment) {
    return 0; // SQLite has no server; the gate's numbers show the connection came back
  }
}
