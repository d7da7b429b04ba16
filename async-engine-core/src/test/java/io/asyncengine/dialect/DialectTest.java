package io.asyncengine.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.options.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DialectTest {

  @Test
  void detectsDialectFromJdbcUrl() {
    assertThat(Dialect.forJdbcUrl("jdbc:sqlite:/tmp/app.db")).isSameAs(Dialect.sqlite());
    assertThat(Dialect.forJdbcUrl("jdbc:sqlite::memory:")).isSameAs(Dialect.sqlite());
    assertThat(Dialect.forJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test")).isSameAs(Dialect.postgresql());
    assertThat(Dialect.forJdbcUrl("JDBC:PostgreSQL://h/db")).isSameAs(Dialect.postgresql());
    assertThat(Dialect.forJdbcUrl("jdbc:mariadb://127.0.0.1:3306/test")).isSameAs(Dialect.mariadb());
    assertThat(Dialect.forJdbcUrl("jdbc:mysql://127.0.0.1:3306/test")).isSameAs(Dialect.mariadb());
    assertThat(Dialect.forJdbcUrl("jdbc:h2:mem:test")).isSameAs(Dialect.generic());
    assertThat(Dialect.forJdbcUrl("")).isSameAs(Dialect.generic());
    assertThatThrownBy(() -> Dialect.forJdbcUrl(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void detectsDialectFromProductName() {
    assertThat(Dialect.forProductName("SQLite")).isSameAs(Dialect.sqlite());
    assertThat(Dialect.forProductName("PostgreSQL")).isSameAs(Dialect.postgresql());
    assertThat(Dialect.forProductName("MariaDB")).isSameAs(Dialect.mariadb());
    assertThat(Dialect.forProductName("MySQL")).isSameAs(Dialect.mariadb());
    assertThat(Dialect.forProductName("H2")).isSameAs(Dialect.generic());
    assertThat(Dialect.forProductName(null)).isSameAs(Dialect.generic());
  }

  @Test
  void namesAreStable() {
    assertThat(Dialect.sqlite().name()).isEqualTo("sqlite");
    assertThat(Dialect.postgresql().name()).isEqualTo("postgresql");
    assertThat(Dialect.mariadb().name()).isEqualTo("mariadb");
    assertThat(Dialect.generic().name()).isEqualTo("generic");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "jdbc:sqlite:",
      "jdbc:sqlite::memory:",
      "jdbc:sqlite::memory:?foreign_keys=on",
      "jdbc:sqlite:file::memory:?cache=shared",
      "jdbc:sqlite:file:memdb1?mode=memory&cache=shared",
      "jdbc:sqlite:?journal_mode=WAL"})
  void recognisesSqliteMemoryUrls(String url) {
    assertThat(Dialect.sqlite().isInMemory(url)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "jdbc:sqlite:/tmp/app.db",
      "jdbc:sqlite:app.db?journal_mode=WAL",
      "jdbc:sqlite:file:app.db?mode=rw",
      "jdbc:sqlite:memory.db"})
  void fileUrlsAreNotInMemory(String url) {
    assertThat(Dialect.sqlite().isInMemory(url)).isFalse();
  }

  @Test
  void onlySqliteHasPrivateMemoryDatabases() {
    assertThat(Dialect.generic().isInMemory("jdbc:h2:mem:")).isFalse();
    assertThat(Dialect.postgresql().isInMemory("jdbc:postgresql://h/db")).isFalse();
    assertThat(Dialect.mariadb().isInMemory("jdbc:mariadb://h/db")).isFalse();
  }

  @Test
  void generatedKeysOnlyForInsertsWithoutReturning() {
    Dialect dialect = Dialect.postgresql();
    assertThat(dialect.wantsGeneratedKeys("INSERT INTO t (a) VALUES (?)")).isTrue();
    assertThat(dialect.wantsGeneratedKeys("  \n\tinsert into t values (1)")).isTrue();
    assertThat(dialect.wantsGeneratedKeys("-- add one\n/* multi\nline */ Insert INTO t VALUES (1)")).isTrue();
    assertThat(dialect.wantsGeneratedKeys("INSERT INTO t (a) VALUES ('returning')")).isTrue();
    assertThat(dialect.wantsGeneratedKeys("INSERT INTO t (returning_code) VALUES (1)")).isTrue();
    assertThat(dialect.wantsGeneratedKeys("INSERT INTO t (a) VALUES (?) RETURNING id")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("insert into t (a) values (?)\n  returning *")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("UPDATE t SET a = 1")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("SELECT 'INSERT'")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("/* INSERT */ DELETE FROM t")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("INSERTED")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("")).isFalse();
    assertThat(dialect.wantsGeneratedKeys("-- only a comment")).isFalse();
  }

  @Test
  void replaceWantsGeneratedKeysOnMariaDbOnly() {
    assertThat(Dialect.mariadb().wantsGeneratedKeys("REPLACE INTO t (id, a) VALUES (1, 2)")).isTrue();
    assertThat(Dialect.mariadb().wantsGeneratedKeys("insert into t values (1)")).isTrue();
    assertThat(Dialect.mariadb().wantsGeneratedKeys("INSERT INTO t VALUES (1) RETURNING id")).isFalse();
    assertThat(Dialect.sqlite().wantsGeneratedKeys("REPLACE INTO t (id, a) VALUES (1, 2)")).isFalse();
    assertThat(Dialect.sqlite().wantsGeneratedKeys("INSERT INTO t VALUES (1)")).isTrue();
    assertThat(Dialect.generic().wantsGeneratedKeys("INSERT INTO t VALUES (1)")).isTrue();
  }

  @Test
  void sqliteRunsMissingIsolationLevelsAsSerializable() {
    Dialect sqlite = Dialect.sqlite();
    assertThat(sqlite.effectiveIsolation(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
    assertThat(sqlite.effectiveIsolation(IsolationLevel.READ_COMMITTED)).isEqualTo(IsolationLevel.SERIALIZABLE);
    assertThat(sqlite.effectiveIsolation(IsolationLevel.REPEATABLE_READ)).isEqualTo(IsolationLevel.SERIALIZABLE);
    assertThat(sqlite.effectiveIsolation(IsolationLevel.SERIALIZABLE)).isEqualTo(IsolationLevel.SERIALIZABLE);
  }

  @Test
  void serversRunEveryIsolationLevelAsAsked() {
    for (Dialect dialect : new Dialect[] {Dialect.postgresql(), Dialect.mariadb(), Dialect.generic()}) {
      for (IsolationLevel level : IsolationLevel.values()) {
        assertThat(dialect.effectiveIsolation(level)).isEqualTo(level);
      }
    }
    assertThatThrownBy(() -> Dialect.postgresql().effectiveIsolation(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void connectionSetUpAndStreamingDefaults() {
    assertThat(Dialect.sqlite().driverProperties()).containsEntry("foreign_keys", "true").containsEntry("journal_mode", "WAL");
    assertThat(Dialect.sqlite().honoursQueryTimeout()).isFalse();
    assertThat(Dialect.postgresql().honoursQueryTimeout()).isTrue();
    assertThat(Dialect.postgresql().defaultFetchSize()).isEqualTo(1000);
    assertThat(Dialect.mariadb().defaultFetchSize()).isEqualTo(500);
    assertThatThrownBy(() -> Dialect.postgresql().prepareForStreaming(null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
