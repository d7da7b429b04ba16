package io.asyncengine.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.error.ParameterBindingException;
import org.junit.jupiter.api.Test;

/** Marker scanning: literals, identifiers, comments, casts and dollar quotes are not markers. */
class SqlParserTest {

  @Test
  void namedMarkersBecomeQuestionMarksInOrderWithRepeats() {
    ParsedSql parsed = SqlParser.parseUncached("select * from t where a = :a and b = :b or a = :a");
    assertThat(parsed.jdbcSql()).isEqualTo("select * from t where a = ? and b = ? or a = ?");
    assertThat(parsed.names()).containsExactly("a", "b", "a");
    assertThat(parsed.markerCount()).isEqualTo(3);
  }

  @Test
  void positionalMarkersAreCounted() {
    ParsedSql parsed = SqlParser.parseUncached("insert into t values (?, ?, '?')");
    assertThat(parsed.isNamed()).isFalse();
    assertThat(parsed.markerCount()).isEqualTo(2);
    assertThat(parsed.jdbcSql()).isEqualTo("insert into t values (?, ?, '?')");
  }

  @Test
  void literalsCommentsCastsAndDollarQuotesAreSkipped() {
    String sql = "select ':no', \"col:no\", `x:no`, a::int, $$ :no $$, $tag$ ? :no $tag$ -- :no ?\n"
        + "/* :no ? */ from t where x = :yes and y = 'it''s :no'";
    ParsedSql parsed = SqlParser.parseUncached(sql);
    assertThat(parsed.names()).containsExactly("yes");
    assertThat(parsed.jdbcSql()).contains("a::int").contains("x = ?").contains("'it''s :no'");
  }

  @Test
  void mixingStylesIsRefused() {
    assertThatThrownBy(() -> SqlParser.parseUncached("select * from t where a = ? and b = :b"))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("mixes");
  }

  @Test
  void blankSqlIsRefused() {
    assertThatThrownBy(() -> SqlParser.parseUncached("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCacheReturnsTheSameParseAndStaysBounded() {
    SqlParser parser = new SqlParser(sql -> false);
    ParsedSql first = parser.parse("select :a");
    assertThat(parser.parse("select :a")).isSameAs(first);
    for (int i = 0; i < SqlParser.MAX_CACHED + 10; i++) {
      parser.parse("select " + i);
    }
    assertThat(parser.parse("select 1").jdbcSql()).isEqualTo("select 1");
  }
}
