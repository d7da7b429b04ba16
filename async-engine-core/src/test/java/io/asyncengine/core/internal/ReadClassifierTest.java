package io.asyncengine.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.dialect.internal.SqlLexer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements only read, so never take SQLite's writer turn; anything unsure is a write. */
class ReadClassifierTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "select 1",
      "  SELECT * FROM t",
      "/* tag */ select 1",
      "/* a */ /* b */ -- c\n select 1",
      "-- x\nselect 1",
      "\n\t-- only a comment line\n\n  select 1",
      "(select 1)",
      "((select a from t) union (select b from u))",
      "values (1), (2)",
      "with x as (select 1 as a) select a from x",
      "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c",
      "with x as materialized (select 1) select * from x",
      "with a as (select 1), b as (select 2) select * from a, b",
      "/* tag */ with x as (select replace(name, 'a', 'b') from t) select * from x",
      "select 'insert into t values (1)', \"update\" from t",
      "select t.update, t.delete from t",
      "select replace(a, 'x', 'y') from t",
      "explain select 1",
      "explain query plan select * from t",
      "EXPLAIN QUERY PLAN insert into t values (1)",
      "explain delete from t",
      "explain analyze select * from t",
      "explain (analyze, buffers) select 1",
      "pragma table_info(t)",
      "PRAGMA main.table_info('t')",
      "pragma index_list(t)",
      "pragma foreign_key_check",
      "pragma integrity_check",
      "pragma user_version",
      "pragma journal_mode",
      "pragma user_version;",
      "show tables",
      "describe t",
      "select 1; -- insert later",
  })
  void reads(String sql) {
    assertThat(ReadClassifier.isRead(sql, SqlLexer.SQLITE)).as(sql).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "insert into t values (1)",
      "/* tag */ insert into t values (1)",
      "-- x\nupdate t set a = 1",
      "delete from t",
      "replace into t values (1)",
      "with x as (select 1 as a) insert into t select a from x",
      "with x as (select 1 as a) update t set a = (select a from x)",
      "WITH x AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM x)",
      "with x as (select 1) replace into t select * from x",
      "with d as (delete from t returning *) select * from d",
      "select * into t2 from t",
      "select * from t for update",
      "select 1; delete from t",
      "explain analyze delete from t",
      "explain (analyze) insert into t values (1)",
      "pragma user_version = 3",
      "PRAGMA main.user_version=3",
      "pragma user_version(3)",
      "pragma foreign_keys = on",
      "pragma wal_checkpoint",
      "pragma wal_checkpoint(truncate)",
      "pragma optimize",
      "pragma incremental_vacuum(10)",
      "create table t (a int)",
      "drop table t",
      "analyze",
      "vacuum",
      "begin immediate",
      "savepoint s",
      "upsert into t values (1)",
      "( insert into t values (1) )",
      "   ",
      "/* only a comment */",
      "(",
  })
  void writes(String sql) {
    assertThat(ReadClassifier.isRead(sql, SqlLexer.SQLITE)).as(sql).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "select $$ delete $$, E'it\\'s an update' from t",
      "select $tag$ insert $tag$",
      "/* outer /* nested insert */ still a comment */ select 1",
  })
  void postgresLiteralsAndNestedCommentsHideWritingWords(String sql) {
    assertThat(ReadClassifier.isRead(sql, SqlLexer.POSTGRESQL)).as(sql).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "# a comment\nselect 1",
      "select 'it\\'s an insert' from t",
      "select `update` from t",
  })
  void mariadbCommentsAndBackslashEscapesHideWritingWords(String sql) {
    assertThat(ReadClassifier.isRead(sql, SqlLexer.MARIADB)).as(sql).isTrue();
  }
}
