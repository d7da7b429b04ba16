package io.asyncengine.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-connection prepared-statement LRU, on a real SQLite connection. */
class StatementCacheTest {

  @TempDir
  Path dir;

  @Test
  void repeatedSqlReusesTheStatementAndTheEldestIsClosedPastCapacity() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"))) {
      StatementCache cache = new StatementCache(connection, 2);
      PreparedStatement first = cache.prepare("select 1", false);
      assertThat(cache.prepare("select 1", false)).isSameAs(first);
      assertThat(cache.prepare("select 1", true)).isNotSameAs(first); // generated-keys variant is its own entry
      PreparedStatement second = cache.prepare("select 2", false);
      assertThat(cache.size()).isEqualTo(2);
      assertThat(first.isClosed()).as("least recently used, evicted").isTrue();
      assertThat(second.isClosed()).isFalse();
      cache.clear();
      assertThat(second.isClosed()).isTrue();
      assertThat(cache.size()).isZero();
    }
  }

  @Test
  void capacityZeroDisablesCaching() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nocache.db"))) {
      StatementCache cache = new StatementCache(connection, 0);
      PreparedStatement statement = cache.prepare("select 1", false);
      assertThat(cache.isCaching()).isFalse();
      assertThat(cache.prepare("select 1", false)).isNotSameAs(statement);
      assertThat(cache.size()).isZero();
      statement.close();
    }
  }
}
