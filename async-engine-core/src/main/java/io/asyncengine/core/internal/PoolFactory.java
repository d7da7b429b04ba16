package io.asyncengine.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.OperationalException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where an engine's connections come from: starts the HikariCP pool an engine owns, or finds the
 * dialect of a {@code DataSource} the application hands in. Runs once per engine, on the thread
 * that builds it.
 */
public final class PoolFactory {

  private PoolFactory() {}

  /**
   * The HikariCP configuration of a pool for {@code settings}, with {@code dialect}'s driver
   * properties under the user's. A private in-memory database (SQLite) gets exactly one connection
   * that never retires: each such connection is a database of its own.
   */
  public static HikariConfig config(PoolSettings settings, Dialect dialect) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.username());
    config.setPassword(settings.password());
    config.setAutoCommit(settings.autoCommit());
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(settings.minIdle() != null ? settings.minIdle() : settings.maxPoolSize());
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setMaxLifetime(settings.maxLifetime().toMillis());
    config.setIdleTimeout(settings.idleTimeout().toMillis());
    config.setValidationTimeout(settings.validationTimeout().toMillis());
    config.setPoolName(settings.poolName() != null ? settings.poolName() : "async-engine-" + dialect.name());
    Properties properties = new Properties();
    properties.putAll(dialect.driverProperties());
    properties.putAll(settings.driverProperties());
    config.setDataSourceProperties(properties);
    if (dialect.isInMemory(settings.url())) {
      config.setMaximumPoolSize(1);
      config.setMinimumIdle(1);
      config.setMaxLifetime(0);
      config.setIdleTimeout(0);
    }
    return config;
  }

  /**
   * Starts a HikariCP pool with {@code config}.
   *
   * @throws IllegalArgumentException when HikariCP refuses a setting (e.g. a timeout below 250 ms)
   * @throws OperationalException when the pool cannot start: driver missing, database unreachable
   */
  public static HikariDataSource start(HikariConfig config) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new OperationalException("Cannot start the connection pool for " + config.getJdbcUrl() + ": " + cause.getMessage(), null, e);
    }
  }

  /**
   * The dialect of the database behind {@code dataSource}, from its product name; borrows one
   * connection to ask. Blocking.
   *
   * @throws OperationalException when no connection can be had
   */
  public static Dialect detect(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return Dialect.forProductName(connection.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new OperationalException("Cannot inspect the wrapped DataSource: " + e.getMessage(), null, e);
    }
  }
}
