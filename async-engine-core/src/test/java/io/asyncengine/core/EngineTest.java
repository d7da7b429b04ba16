package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.OperationalException;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synchronous engine built on its own: pool, dialect detection, settings, validation. */
class EngineTest {

  @TempDir
  Path dir;

  @DatabaseTest
  void theBuilderStartsAPoolAndDetectsTheDialectFromTheUrl(TestDatabase db) {
    try (Engine engine = Engine.builder().url(db.url()).maxPoolSize(2).poolName("engine-test")
        .statementTimeout(Duration.ofSeconds(5)).build()) {
      assertThat(engine.dialect().name()).isEqualTo(db.toString());
      HikariDataSource hikari = (HikariDataSource) engine.dataSource();
      assertThat(hikari.getMaximumPoolSize()).isEqualTo(2);
      assertThat(hikari.getPoolName()).isEqualTo("engine-test");
      assertThat(engine.maxPoolSize()).isEqualTo(2);
      assertThat(engine.options().statementTimeout()).isEqualTo(Duration.ofSeconds(5));
      Integer answer = engine.inTransaction(c -> c.scalar(Integer.class, "select 40 + 2"));
      assertThat(answer).isEqualTo(42);
    }
  }

  @DatabaseTest
  void aWrappedDataSourceIsInspectedAndLeftOpen(TestDatabase db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Engine engine = Engine.builder().dataSource(pool).build();
      assertThat(engine.dialect().name()).isEqualTo(db.toString());
      assertThat(engine.maxPoolSize()).isEqualTo(2);
      try (SqlConnection connection = engine.connect()) {
        assertThat(connection.scalar(Integer.class, "select 1")).isEqualTo(1);
      }
      engine.close();
      assertThat(engine.isClosed()).isTrue();
      assertThat(pool.isClosed()).isFalse();
    }
  }

  @Test
  void createUsesTheDefaultsAndTheRestingAutoCommitFollowsTheIsolation() {
    try (Engine engine = Engine.create("jdbc:sqlite:" + dir.resolve("defaults.db"))) {
      assertThat(engine.dialect()).isSameAs(Dialect.sqlite());
      assertThat(engine.maxPoolSize()).isEqualTo(10);
      assertThat(engine.connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(engine.config().statementCacheSize()).isEqualTo(EngineConfig.DEFAULT_STATEMENT_CACHE_SIZE);
      assertThat(((HikariDataSource) engine.dataSource()).isAutoCommit()).isFalse();
    }
    try (Engine engine = Engine.builder().url("jdbc:sqlite:" + dir.resolve("autocommit.db"))
        .isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
      assertThat(((HikariDataSource) engine.dataSource()).isAutoCommit()).isTrue();
    }
  }

  @Test
  void anInMemoryDatabaseGetsOneConnection() {
    try (Engine engine = Engine.builder().url("jdbc:sqlite::memory:").maxPoolSize(8).build()) {
      assertThat(engine.maxPoolSize()).isEqualTo(1);
    }
  }

  @Test
  void theBuilderRefusesBadSettingsWithTheAsyncBuildersMessages() {
    assertThatThrownBy(() -> Engine.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessage("Set url(jdbcUrl) or dataSource(dataSource) before build()");
    assertThatThrownBy(() -> Engine.builder().url("jdbc:sqlite::memory:").dataSource(new HikariDataSource()).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("Set either url(...) or dataSource(...), not both");
    assertThatThrownBy(() -> Engine.builder().url("jdbc:sqlite::memory:").maxPoolSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPoolSize must be at least 1, was 0");
    assertThatThrownBy(() -> Engine.builder().url("jdbc:sqlite::memory:").statementCacheSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("statementCacheSize must be >= 0, was -1");
    assertThatThrownBy(() -> Engine.create("jdbc:nosuchdriver://x"))
        .isInstanceOf(OperationalException.class).hasMessageContaining("jdbc:nosuchdriver://x");
  }
}
