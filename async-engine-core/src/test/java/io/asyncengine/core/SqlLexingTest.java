package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real statements whose literals, quoted names and comments hold backslashes, quotes, {@code ?} and
 * {@code :name}: the markers the engine counts are the ones the database sees, on each database by
 * its own lexical rules.
 */
class SqlLexingTest {

  private static final String WINDOWS_PATH = "C:\\";
  private Engine engine;

  private SqlConnection open(TestDatabase db) {
    engine = db.engine().sync();
    Schema.recreate(engine, "lexing_paths",
        "create table lexing_paths (id integer primary key, path varchar(100), note varchar(100))");
    SqlConnection connection = engine.connect();
    connection.execute("insert into lexing_paths(id, path, note) values (?, ?, ?)", 1, WINDOWS_PATH, "it's ? :no");
    connection.execute("insert into lexing_paths(id, path, note) values (:id, :path, :note)",
        Params.named(Map.of("id", 2, "path", "a\\'b", "note", "\\")));
    connection.commit();
    return connection;
  }

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  /** The reported statement: a literal ending in a backslash, then a marker. */
  @DatabaseTest
  void aMarkerAfterALiteralEndingInABackslashIsBound(TestDatabase db) {
    try (SqlConnection connection = open(db)) {
      // MariaDB reads \' as an escaped quote, so the same path is written '...\\' there.
      String literal = db == TestDatabase.MARIADB ? "'C:\\\\'" : "'C:\\'";
      Result positional = connection.execute("select " + literal + " as path, id from lexing_paths where id = ?", 1);
      assertThat(positional.all()).hasSize(1);
      assertThat(positional.one().get("path", String.class)).isEqualTo(WINDOWS_PATH);

      Result named = connection.execute(
          "select " + literal + " as path, note from lexing_paths where id = :id and note <> ':no ?'",
          Params.named(Map.of("id", 1)));
      assertThat(named.all()).singleElement().satisfies(row -> {
        assertThat(row.get("path", String.class)).isEqualTo(WINDOWS_PATH);
        assertThat(row.get("note", String.class)).isEqualTo("it's ? :no");
      });
    }
  }

  @DatabaseTest
  void valuesWithBackslashesAndQuotesRoundTripAndCommentsHoldNoMarkers(TestDatabase db) {
    try (SqlConnection connection = open(db)) {
      List<Row> rows = connection.execute(
          "-- which rows? all of them :all\n"
              + "select id, path, note /* ? :x */ from lexing_paths where id >= ? and note <> 'it''s ?' order by id", 1)
          .all();
      assertThat(rows).extracting(row -> row.get("path", String.class)).containsExactly(WINDOWS_PATH, "a\\'b");
      assertThat(rows).extracting(row -> row.get("note", String.class)).containsExactly("it's ? :no", "\\");
      String backslash = db == TestDatabase.MARIADB ? "'\\\\'" : "'\\'";
      assertThat(connection.scalar(Long.class,
          "select count(*) from lexing_paths where path = :path and note = " + backslash + " or id = :id",
          Params.named(Map.of("path", "a\\'b", "id", 1)))).isEqualTo(2L);
    }
  }

  @DatabaseTest
  void quotedIdentifiersHoldNoMarkers(TestDatabase db) {
    try (SqlConnection connection = open(db)) {
      String quoted = switch (db) {
        case SQLITE -> "select id as \"a?:b\", path as [c?], note as `d:e?` from lexing_paths where id = ?";
        case POSTGRESQL -> "select id as \"a?:b\", path as \"c?\", note as \"d:e?\" from lexing_paths where id = ?";
        case MARIADB -> "select id as `a?:b`, path as `c?`, note as `d:e?` from lexing_paths where id = ? # trailing ?";
      };
      Row row = connection.execute(quoted, 2).one();
      assertThat(row.get("a?:b", Integer.class)).isEqualTo(2);
      assertThat(row.get("c?", String.class)).isEqualTo("a\\'b");
      assertThat(row.get("d:e?", String.class)).isEqualTo("\\");
    }
  }

  @Test
  void postgresEscapeStringsDollarQuotesAndCasts() {
    TestDatabase db = TestDatabase.POSTGRESQL;
    try (SqlConnection connection = open(db)) {
      Row row = connection.execute(
          "select E'it\\'s ?' as e, $q$ C:\\ ? :x 'no' $q$ as d, $$?$$ as plain, id::text as t, :id::int + 1 as next "
              + "from lexing_paths where id = :id",
          Params.named(Map.of("id", 1))).one();
      assertThat(row.get("e", String.class)).isEqualTo("it's ?");
      assertThat(row.get("d", String.class)).isEqualTo(" C:\\ ? :x 'no' ");
      assertThat(row.get("plain", String.class)).isEqualTo("?");
      assertThat(row.get("t", String.class)).isEqualTo("1");
      assertThat(row.get("next", Integer.class)).isEqualTo(2);
    }
  }

  /** MariaDB: the session's sql_mode decides; the engine reads it again after a SET of sql_mode. */
  @Test
  void mariadbFollowsTheSessionsBackslashRule() {
    TestDatabase db = TestDatabase.MARIADB;
    try (SqlConnection connection = open(db)) {
      String escaped = "select 'it\\'s', ? as id";
      assertThat(connection.execute(escaped, 7).one().get("id", Integer.class)).isEqualTo(7);

      connection.execute("set session sql_mode = 'NO_BACKSLASH_ESCAPES'");
      String standard = "select 'C:\\' as path, ? as id";
      Row row = connection.execute(standard, 8).one();
      assertThat(row.get("path", String.class)).isEqualTo(WINDOWS_PATH);
      assertThat(row.get("id", Integer.class)).isEqualTo(8);
      assertThat(connection.scalar(String.class, "select path from lexing_paths where id = :id",
          Params.named(Map.of("id", 1)))).isEqualTo(WINDOWS_PATH); // bound values still bind

      connection.execute("set session sql_mode = default");
      assertThat(connection.execute(escaped, 9).one().get("id", Integer.class)).isEqualTo(9);
      connection.invalidate(); // the session's sql_mode was changed: do not hand it to the next test
    }
  }
}
