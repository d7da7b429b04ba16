package io.asyncengine.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.core.Engine;
import io.asyncengine.spring.diagnostics.DatabaseUnreachableException;
import io.asyncengine.spring.diagnostics.JdbcDriverNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Creates the HikariCP pools the starter owns, with the configuration the core gives a pool it
 * creates from a URL ({@code EngineSettings.hikariConfig()}), sized by {@code async-engine.pool.*}. Runs on the thread creating the bean.
 */
final class StarterPools {

  private StarterPools() {}

  /** The JDBC URL of the zero-configuration SQLite file; creates its directory. */
  static String sqliteUrl(AsyncEngineProperties properties) {
    Path file = Path.of(properties.getSqlite().getPath()).toAbsolutePath().normalize();
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the directory of async-engine.sqlite.path " + file, e);
    }
    return "jdbc:sqlite:" + file;
  }

  /**
   * A started pool for {@code url}, made by {@code factory} (HikariDataSource or a subclass).
   *
   * @throws JdbcDriverNotFoundException when no JDBC driver on the classpath accepts {@code url}
   * @throws DatabaseUnreachableException when the first connection cannot be opened
   */
  static <T extends HikariDataSource> T create(String url, @Nullable String username, @Nullable String password,
      AsyncEngineProperties properties, List<AsyncEnginePoolCustomizer> customizers,
      Function<HikariConfig, T> factory) {
    requireDriver(url);
    AsyncEngineProperties.Pool pool = properties.getPool();
    // The core's own pool settings (dialect driver properties, auto-commit matching the isolation
    // default, the in-memory SQLite rule), sized by async-engine.pool.*.
    Engine.Builder settings = Engine.builder()
        .url(url)
        .maxPoolSize(pool.getMaxSize())
        .connectionTimeout(pool.getConnectionTimeout())
        .maxLifetime(pool.getMaxLifetime())
        .idleTimeout(pool.getIdleTimeout())
        .validationTimeout(pool.getValidationTimeout())
        .poolName(pool.getName());
    if (username != null) {
      settings.username(username);
    }
    if (password != null) {
      settings.password(password);
    }
    if (pool.getMinIdle() != null) {
      settings.minIdle(pool.getMinIdle());
    }
    if (properties.getIsolationLevel() != null) {
      settings.isolationLevel(properties.getIsolationLevel());
    }
    HikariConfig config = settings.hikariConfig();
    SocketReadSpin.apply(config, properties.getExecutor().getMode(), properties.getExecutor().isSpinSocketReads());
    customizers.forEach(customizer -> customizer.customize(config));
    try {
      return factory.apply(config);
    } catch (RuntimeException e) {
      throw new DatabaseUnreachableException(url, rootCause(e));
    }
  }

  private static void requireDriver(String url) {
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new JdbcDriverNotFoundException(url);
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
