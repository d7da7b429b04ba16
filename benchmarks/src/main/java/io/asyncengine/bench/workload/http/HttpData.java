package io.asyncengine.bench.workload.http;

import io.asyncengine.bench.BenchDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * W7's data, shared by both applications: the sample app's tables, created from the schema inside
 * its jar (so both run on exactly the sample app's DDL), with {@code users} users and
 * {@code accounts} accounts whose balances no run can exhaust. Runs on the calling thread.
 */
final class HttpData {

  /** Every account's opening balance: a run of 100,000 transfers of at most 100 cannot empty it. */
  static final long OPENING_BALANCE = 1_000_000_000L;

  private HttpData() {}

  /**
   * Drops and creates {@code sample_transfers}, {@code sample_accounts} and {@code sample_users},
   * then fills them.
   *
   * @throws IOException when the jar has no schema for {@code db}
   */
  static void create(BenchDatabase db, Path sampleJar, int users, int accounts) throws IOException, SQLException {
    String schema = schema(db, sampleJar);
    try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement statement = connection.createStatement()) {
      statement.execute("drop table if exists sample_transfers");
      statement.execute("drop table if exists sample_accounts");
      statement.execute("drop table if exists sample_users");
      for (String ddl : schema.split(";")) {
        if (!ddl.isBlank()) {
          statement.execute(ddl);
        }
      }
      String series = db == BenchDatabase.SQLITE
          ? "with recursive r(i) as (select 1 union all select i + 1 from r where i < %d) select %s from r"
          : "select %2$s from generate_series(1, %1$d) i";
      statement.execute("insert into sample_users(id, name, email, version) "
          + series.formatted(users, "i, 'user' || i, 'user' || i || '@example.com', 1"));
      statement.execute("insert into sample_accounts(id, owner, balance) "
          + series.formatted(accounts, "i, 'owner' || i, " + OPENING_BALANCE));
      if (db == BenchDatabase.POSTGRESQL) {
        statement.execute("analyze sample_users");
        statement.execute("analyze sample_accounts");
      }
    }
  }

  /** {@code schema-<platform>.sql} from the sample app's jar. */
  private static String schema(BenchDatabase db, Path sampleJar) throws IOException {
    String name = "BOOT-INF/classes/schema-" + (db == BenchDatabase.SQLITE ? "sqlite" : "postgresql") + ".sql";
    try (ZipFile jar = new ZipFile(sampleJar.toFile())) {
      ZipEntry entry = jar.getEntry(name);
      if (entry == null) {
        throw new IOException(sampleJar + " has no " + name);
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
