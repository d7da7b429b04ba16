package io.asyncengine.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.spring.diagnostics.DatabaseUnreachableException;
import io.asyncengine.spring.diagnostics.JdbcDriverNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Creates the HikariCP pools the starter owns, with the same settings the core gives a pool it
 * creates from a URL (the dialect's driver properties and init SQL, auto-commit matching the
 * isolation default), sized by {@code async-engine.pool.*}. Runs on the thread creating the bean.
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
    Dialect dialect = Dialect.forJdbcUrl(url);
    AsyncEngineProperties.Pool pool = properties.getPool();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(username);
    config.setPassword(password);
    // The connections' resting state matches the engine's default, so a checkout toggles nothing.
    config.setAutoCommit(properties.getIsolationLevel() == IsolationLevel.AUTOCOMMIT);
    config.setMaximumPoolSize(pool.getMaxSize());
    config.setMinimumIdle(pool.getMinIdle() != null ? pool.getMinIdle() : pool.getMaxSize());
    config.setConnectionTimeout(pool.getConnectionTimeout().toMillis());
    config.setMaxLifetime(pool.getMaxLifetime().toMillis());
    config.setIdleTimeout(pool.getIdleTimeout().toMillis());
    config.setValidationTimeout(pool.getValidationTimeout().toMillis());
    config.setPoolName(pool.getName());
    if (dialect.connectionInitSql() != null) {
      config.setConnectionInitSql(dialect.connectionInitSql());
    }
    Properties driverProperties = new Properties();
    driverProperties.putAll(dialect.driverProperties());
    config.setDataSourceProperties(driverProperties);
    if (dialect.isInMemory(url)) {
      // Each SQLite memory connection is its own database: keep exactly one, forever.
      config.setMaximumPoolSize(1);
      config.setMinimumIdle(1);
      config.setMaxLifetime(0);
      config.setIdleTimeout(0);
    }
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
