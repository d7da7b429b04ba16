package io.asyncengine.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.dialect.internal.SqlLexer;
import org.junit.jupiter.api.Test;

/** Each dialect's lexical rules, and the keyword checks that depend on them. */
class SqlLexingRulesTest {

  @Test
  void eachDialectDeclaresItsRules() {
    assertThat(Dialect.sqlite().lexing()).isEqualTo(SqlLexing.SQLITE);
    assertThat(Dialect.postgresql().lexing()).isEqualTo(SqlLexing.POSTGRESQL);
    assertThat(Dialect.mariadb().lexing()).isEqualTo(SqlLexing.MARIADB);
    assertThat(Dialect.generic().lexing()).isEqualTo(SqlLexing.STANDARD);
  }

  @Test
  void literalsEndWhereEachDatabaseEndsThem() {
    String sql = "'C:\\' x";
    assertThat(SqlLexer.SQLITE.skipQuoted(sql, 0)).isEqualTo(5);
    assertThat(SqlLexer.POSTGRESQL.skipQuoted(sql, 0)).isEqualTo(5);
    assertThat(SqlLexer.MARIADB_NO_BACKSLASH_ESCAPES.skipQuoted(sql, 0)).isEqualTo(5);
    assertThat(SqlLexer.MARIADB.skipQuoted(sql, 0)).isEqualTo(sql.length()); // \' escapes: unterminated
    assertThat(SqlLexer.POSTGRESQL.skipQuoted("E'a\\'b' x", 0)).isEqualTo(7);
    assertThat(SqlLexer.POSTGRESQL.skipQuoted("somE'x'", 3)).isEqualTo(3); // part of a word, not E'
    assertThat(SqlLexer.POSTGRESQL.skipQuoted("$q$ a $ b $q$ x", 0)).isEqualTo(13);
    assertThat(SqlLexer.POSTGRESQL.skipQuoted("$1 + $2", 0)).isZero();
    assertThat(SqlLexer.SQLITE.skipQuoted("[a b] x", 0)).isEqualTo(5);
    assertThat(SqlLexer.POSTGRESQL.skipQuoted("[a b] x", 0)).isZero(); // an array subscript
    assertThat(SqlLexer.MARIADB.skipQuoted("`a``b` x", 0)).isEqualTo(6);
    assertThat(SqlLexer.STANDARD.skipQuoted("`a` x", 0)).isZero();
  }

  @Test
  void commentsEndWhereEachDatabaseEndsThem() {
    assertThat(SqlLexer.POSTGRESQL.skipBlank("/* a /* b */ c */ select", 0)).isEqualTo(18);
    assertThat(SqlLexer.SQLITE.skipBlank("/* a /* b */ c */ select", 0)).isEqualTo(13);
    assertThat(SqlLexer.MARIADB.skipBlank("# note\n  select", 0)).isEqualTo(9);
    assertThat(SqlLexer.POSTGRESQL.skipBlank("# note", 0)).isZero();
    assertThat(SqlLexer.STANDARD.skipBlank("-- a\n\t-- b\nselect", 0)).isEqualTo(11);
  }

  @Test
  void generatedKeysFollowTheDialectsRules() {
    // MariaDB: the escaped quote keeps "returning" inside the literal.
    assertThat(Dialect.mariadb().wantsGeneratedKeys("insert into t(a) values ('it\\'s returning')")).isTrue();
    assertThat(Dialect.mariadb().wantsGeneratedKeys("# c\nreplace into t(a) values (1)")).isTrue();
    // PostgreSQL: a dollar quote hides it; the real clause does not.
    assertThat(Dialect.postgresql().wantsGeneratedKeys("insert into t(a) values ($$returning$$)")).isTrue();
    assertThat(Dialect.postgresql().wantsGeneratedKeys("/* x */ insert into t(a) values ('C:\\') returning id"))
        .isFalse();
    assertThat(Dialect.sqlite().wantsGeneratedKeys("insert into [returning](a) values (1)")).isTrue();
  }
}
