package io.asyncengine.mapping;

import io.asyncengine.testing.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Maps what each real driver returns from {@code getObject} through {@link RowObjectMapper}. */
class DriverValueMappingTest {

  enum Level { LOW, HIGH }

  record Probe(long id, int small, double ratio, BigDecimal amount, String name,
      LocalDate day, LocalDateTime stamp, Instant moment, boolean active, Level level) {
  }

  private static final Probe EXPECTED = new Probe(1, 42, 2.5, new BigDecimal("12.50"), "ann",
      LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 10, 11, 12),
      Instant.parse("2024-01-02T10:11:12.345Z"), true, Level.HIGH);

  @Test
  void sqlite() throws Exception {
    Path file = Files.createTempFile("mapping-probe", ".db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, small INTEGER, ratio REAL,"
            + " amount TEXT, name TEXT, day TEXT, stamp TEXT, moment INTEGER, active BOOLEAN,"
            + " level TEXT, stamp_millis INTEGER, flag_text TEXT)");
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO probe VALUES (1, 42, 2.5, '12.50', 'ann', '2024-01-02',"
              + " '2024-01-02 10:11:12', ?, 1, 'high', ?, 'yes')")) {
        insert.setLong(1, EXPECTED.moment().toEpochMilli());
        // sqlite-jdbc stores a bound Timestamp as epoch milliseconds.
        insert.setTimestamp(2, Timestamp.from(Instant.parse("2024-01-02T10:11:12Z")));
        insert.executeUpdate();
      }
      List<Object[]> rows = new ArrayList<>();
      List<String> labels = query(connection, "SELECT * FROM probe", rows);
      assertThat(rows.get(0)[labels.indexOf("active")]).isInstanceOf(Integer.class);
      assertThat(rows.get(0)[labels.indexOf("stamp_millis")]).isInstanceOf(Long.class);

      assertThat(RowObjectMapper.of(Probe.class, labels).map(rows.get(0))).isEqualTo(EXPECTED);

      record Extra(LocalDateTime stampMillis, Instant stampMillisInstant, boolean flagText) {
      }
      List<String> extraLabels = query(connection, "SELECT stamp_millis, stamp_millis AS"
          + " stamp_millis_instant, flag_text FROM probe", rows);
      assertThat(RowObjectMapper.of(Extra.class, extraLabels).map(rows.get(1))).isEqualTo(
          new Extra(LocalDateTime.of(2024, 1, 2, 10, 11, 12),
              Instant.parse("2024-01-02T10:11:12Z"), true));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void postgresql() throws Exception {
    try (Connection connection = connect(TestDatabase.POSTGRESQL.url())) {
      String table = "mapping_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE " + table + " (id BIGINT, small SMALLINT, ratio REAL,"
            + " amount NUMERIC(10,2), name VARCHAR(20), day DATE, stamp TIMESTAMP,"
            + " moment TIMESTAMPTZ, active BOOLEAN, level TEXT, uid UUID)");
        try {
          statement.execute("INSERT INTO " + table + " VALUES (1, 42, 2.5, 12.50, 'ann',"
              + " '2024-01-02', '2024-01-02 10:11:12', '2024-01-02 12:11:12.345+02', true, 'HIGH',"
              + " '123e4567-e89b-12d3-a456-426614174000')");
          List<Object[]> rows = new ArrayList<>();
          List<String> labels = query(connection, "SELECT * FROM " + table, rows);
          assertThat(rows.get(0)[labels.indexOf("moment")]).isInstanceOf(Timestamp.class);
          assertThat(RowObjectMapper.of(Probe.class, labels).map(rows.get(0))).isEqualTo(EXPECTED);
          assertThat(RowObjectMapper.of(UUID.class, List.of("uid"))
              .map(new Object[] {rows.get(0)[labels.indexOf("uid")]}))
              .isEqualTo(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        } finally {
          statement.execute("DROP TABLE " + table);
        }
      }
    }
  }

  @Test
  void mariadb() throws Exception {
    try (Connection connection = connect(TestDatabase.MARIADB.url())) {
      String table = "mapping_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE " + table + " (id BIGINT, small TINYINT, ratio DOUBLE,"
            + " amount DECIMAL(10,2), name VARCHAR(20), day DATE, stamp DATETIME,"
            + " moment DATETIME(3), active TINYINT(1), level ENUM('LOW','HIGH'), flag BIT(1))");
        try {
          statement.execute("INSERT INTO " + table + " VALUES (1, 42, 2.5, 12.50, 'ann',"
              + " '2024-01-02', '2024-01-02 10:11:12', '2024-01-02 10:11:12.345', 1, 'HIGH', 1)");
          List<Object[]> rows = new ArrayList<>();
          List<String> labels = query(connection, "SELECT * FROM " + table, rows);
          // DATETIME has no zone and the driver builds its Timestamp in the JVM zone; reading its wall
          // clock (UTC by the converter's zone rule) keeps the test independent of that zone.
          Object moment = rows.get(0)[labels.indexOf("moment")];
          if (moment instanceof Timestamp ts) {
            rows.get(0)[labels.indexOf("moment")] = ts.toLocalDateTime();
          }
          assertThat(RowObjectMapper.of(Probe.class, labels).map(rows.get(0))).isEqualTo(EXPECTED);
          assertThat(RowObjectMapper.of(boolean.class, List.of("flag"))
              .map(new Object[] {rows.get(0)[labels.indexOf("flag")]})).isTrue();
        } finally {
          statement.execute("DROP TABLE " + table);
        }
      }
    }
  }

  private static Connection connect(String url) {
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("database at " + url + " is not reachable (CI=true requires every database)", e);
      }
      assumeTrue(false, "database at " + url + " is not reachable: " + e.getMessage());
      throw new AssertionError(e);
    }
  }

  /** Runs {@code sql}, appends each row's getObject values to {@code rows}; returns the labels. */
  private static List<String> query(Connection connection, String sql, List<Object[]> rows)
      throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet resultSet = statement.executeQuery(sql)) {
      ResultSetMetaData meta = resultSet.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        labels.add(meta.getColumnLabel(i));
      }
      while (resultSet.next()) {
        Object[] row = new Object[labels.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = resultSet.getObject(i + 1);
        }
        rows.add(row);
      }
      return labels;
    }
  }
}
