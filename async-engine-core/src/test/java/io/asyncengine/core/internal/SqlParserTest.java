package io.asyncengine.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.dialect.SqlLexing;
import io.asyncengine.dialect.internal.SqlLexer;
import io.asyncengine.error.ParameterBindingException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Marker scanning by each dialect's lexical rules: literals, quoted identifiers, comments, casts and
 * dollar quotes hold no markers; backslashes escape only where the dialect says so.
 */
class SqlParserTest {

  private static int markers(String sql, SqlLexer lexer) {
    return SqlParser.parseUncached(sql, lexer).markerCount();
  }

  @Test
  void namedMarkersBecomeQuestionMarksInOrderWithRepeats() {
    ParsedSql parsed = SqlParser.parseUncached("select * from t where a = :a and b = :b or a = :a", SqlLexer.STANDARD);
    assertThat(parsed.jdbcSql()).isEqualTo("select * from t where a = ? and b = ? or a = ?");
    assertThat(parsed.names()).containsExactly("a", "b", "a");
    assertThat(parsed.markerCount()).isEqualTo(3);
  }

  @Test
  void positionalMarkersAreCounted() {
    ParsedSql parsed = SqlParser.parseUncached("insert into t values (?, ?, '?')", SqlLexer.SQLITE);
    assertThat(parsed.isNamed()).isFalse();
    assertThat(parsed.markerCount()).isEqualTo(2);
    assertThat(parsed.jdbcSql()).isEqualTo("insert into t values (?, ?, '?')");
  }

  @Test
  void postgresLiteralsCommentsCastsAndDollarQuotesAreSkipped() {
    String sql = "select ':no', \"col:no\", a::int, $$ :no $$, $tag$ ? :no $tag$, E'\\' :no', -- :no ?\n"
        + "/* :no /* nested ? */ :no ? */ x from t where x = :yes and y = 'it''s :no' and z = $1";
    ParsedSql parsed = SqlParser.parseUncached(sql, SqlLexer.POSTGRESQL);
    assertThat(parsed.names()).containsExactly("yes");
    assertThat(parsed.jdbcSql()).contains("a::int").contains("x = ?").contains("'it''s :no'").contains("$1");
  }

  /** The reported failure: a literal ending in a backslash hid every marker after it. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '!', quoteCharacter = '^', value = {
      "SQLITE     ! select 'C:\\' as path from t where id = ?                     ! 1",
      "POSTGRESQL ! select 'C:\\' as path from t where id = ?                     ! 1",
      "STANDARD   ! select 'C:\\' as path from t where id = ?                     ! 1",
      "MARIADB    ! select 'C:\\\\' as path from t where id = ?                   ! 1",
      "MARIADB    ! select 'it\\'s ?' as s from t where id = ?                    ! 1",
      "MARIADB    ! select \"say \\\"?\\\"\" from t where id = ?                   ! 1",
      "POSTGRESQL ! select E'it\\'s ?', e'\\\\' from t where id = ?                ! 1",
      "POSTGRESQL ! select U&'d\\0061t?' from t where id = ?                      ! 1",
      "POSTGRESQL ! select $a$ it's ? $b$ ? $a$, 'x' from t where id = ?          ! 1",
      "POSTGRESQL ! select data ?? 'k' from t where id = ?                        ! 1",
      "POSTGRESQL ! select a$b$ from t where id = ? and c = ?                     ! 2",
      "POSTGRESQL ! select 'a\\' || ? from t                                      ! 1",
      "SQLITE     ! select [a?b], `c?d`, \"e?f\" from t where id = ?               ! 1",
      "MARIADB    ! select `a?b`, `c``?` from t where id = ? # trailing ?          ! 1",
      "MARIADB    ! select 1 /* ? */ + ? -- ?                                      ! 1",
      "POSTGRESQL ! select ? # 2                                                   ! 1",
  })
  void markersAfterBackslashesQuotesAndCommentsAreCountedPerDialect(SqlLexing lexing, String sql, int expected) {
    assertThat(markers(sql.strip(), SqlLexer.of(lexing))).isEqualTo(expected);
  }

  @Test
  void namedMarkersAfterABackslashLiteralAreFoundOnSqliteAndPostgres() {
    for (SqlLexer lexer : new SqlLexer[] {SqlLexer.SQLITE, SqlLexer.POSTGRESQL, SqlLexer.MARIADB_NO_BACKSLASH_ESCAPES}) {
      ParsedSql parsed = SqlParser.parseUncached("select 'C:\\' as path from t where id = :id and n = ':no'", lexer);
      assertThat(parsed.names()).as("%s", lexer).containsExactly("id");
      assertThat(parsed.jdbcSql()).isEqualTo("select 'C:\\' as path from t where id = ? and n = ':no'");
    }
    // MariaDB's default rule: \' escapes the quote, so the literal runs on and hides :id.
    assertThat(SqlParser.parseUncached("select 'C:\\' as path from t where id = :id and n = ':no'", SqlLexer.MARIADB)
        .names()).containsExactly("no");
  }

  @Test
  void mariadbAsksForTheSessionsBackslashRuleOnlyWhenTheMarkersDependOnIt() {
    SqlParser parser = new SqlParser(SqlLexing.MARIADB, sql -> false);
    AtomicInteger asked = new AtomicInteger();
    assertThat(parser.parse("select 'a\\nb' from t where id = ?", () -> {
      asked.incrementAndGet();
      return true;
    }).markerCount()).isEqualTo(1);
    assertThat(parser.parse("select ? from t", () -> {
      asked.incrementAndGet();
      return true;
    }).markerCount()).isEqualTo(1);
    assertThat(asked).hasValue(0); // no backslash before a quote: both rules agree

    String sql = "select 'C:\\', ? from t where id = ?";
    assertThat(parser.parse(sql, () -> {
      asked.incrementAndGet();
      return false;
    }).markerCount()).isEqualTo(2);
    assertThat(parser.parse(sql, () -> {
      asked.incrementAndGet();
      return true;
    }).markerCount()).isEqualTo(0);
    assertThat(asked).hasValue(2);
    assertThat(new SqlParser(SqlLexing.POSTGRESQL, s -> false).parse(sql, () -> {
      throw new AssertionError("PostgreSQL has one rule");
    }).markerCount()).isEqualTo(2);
  }

  @Test
  void mixingStylesIsRefused() {
    assertThatThrownBy(() -> SqlParser.parseUncached("select * from t where a = ? and b = :b", SqlLexer.STANDARD))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("mixes");
  }

  @Test
  void blankSqlIsRefused() {
    assertThatThrownBy(() -> SqlParser.parseUncached("  ", SqlLexer.STANDARD)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queryAndSqlModeFlags() {
    assertThat(SqlParser.parseUncached("/* tag */ select 1", SqlLexer.SQLITE).query()).isTrue();
    assertThat(SqlParser.parseUncached("-- x\n SELECT 1", SqlLexer.SQLITE).query()).isTrue();
    assertThat(SqlParser.parseUncached("selection", SqlLexer.SQLITE).query()).isFalse();
    assertThat(SqlParser.parseUncached("update t set a = 1", SqlLexer.SQLITE).query()).isFalse();
    assertThat(SqlParser.parseUncached("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'", SqlLexer.MARIADB)
        .changesSqlMode()).isTrue();
    assertThat(SqlParser.parseUncached("set @x = 1", SqlLexer.MARIADB).changesSqlMode()).isFalse();
  }

  @Test
  void theCacheReturnsTheSameParseAndStaysBounded() {
    SqlParser parser = new SqlParser(SqlLexing.SQLITE, sql -> false);
    ParsedSql first = parser.parse("select :a");
    assertThat(parser.parse("select :a")).isSameAs(first);
    for (int i = 0; i < SqlParser.MAX_CACHED + 10; i++) {
      parser.parse("select " + i);
    }
    assertThat(parser.parse("select 1").jdbcSql()).isEqualTo("select 1");
  }
}
