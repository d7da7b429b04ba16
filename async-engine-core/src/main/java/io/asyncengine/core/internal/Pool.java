package io.asyncengine.core.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.asyncengine.core.PoolStatus;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.ResourceClosedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool behind an engine and its {@code withOptions} views: borrowing, evicting and
 * closing, with HikariCP specifics (eviction, statistics) used when the pool is HikariCP.
 *
 * <p>Thread-safe. The pool is closed once, by whichever view closes first, and only when the engine
 * created it; a wrapped {@code DataSource} belongs to the application and is left open.
 */
public final class Pool {

  private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

  private final DataSource dataSource;
  /** HikariCP behind {@code dataSource}, found through {@code unwrap} so proxies in front of it do not hide it. */
  private final @Nullable HikariDataSource hikari;
  private final boolean owned;
  private final int declaredMaxSize;
  private final Duration connectionTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A pool over {@code dataSource}; {@code owned} when the engine created it and must close it.
   * {@code declaredMaxSize} and {@code connectionTimeout} are the engine's settings, what it knows
   * of a data source that is not HikariCP.
   */
  public Pool(DataSource dataSource, boolean owned, int declaredMaxSize, Duration connectionTimeout) {
    this.dataSource = dataSource;
    this.hikari = hikariBehind(dataSource);
    this.owned = owned;
    this.declaredMaxSize = declaredMaxSize;
    this.connectionTimeout = connectionTimeout;
  }

  /** The data source connections come from. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The most connections out at once: HikariCP's maximum pool size, else the declared size. */
  public int maxSize() {
    return hikari != null ? hikari.getMaximumPoolSize() : declaredMaxSize;
  }

  /** How long a borrow may wait for a connection, as the engine was configured. */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Borrows a connection, blocking up to the pool's connection timeout.
   *
   * @throws ResourceClosedException when the engine has been disposed
   * @throws PoolTimeoutException when no connection became free in time
   * @throws OperationalException when the database cannot be reached
   */
  public Connection borrow() {
    if (closed.get()) {
      throw new ResourceClosedException("The engine has been disposed; no new connections are handed out");
    }
    try {
      return dataSource.getConnection();
    } catch (SQLTransientConnectionException e) {
      if (hikari != null && hikari.isClosed()) {
        throw new ResourceClosedException("The engine has been disposed; no new connections are handed out");
      }
      throw new PoolTimeoutException("No connection available: " + describeTimeout() + "; " + e.getMessage(), null, e);
    } catch (SQLException e) {
      throw new OperationalException("Cannot get a connection from the pool: " + e.getMessage(), null, e);
    }
  }

  /**
   * Opens a connection to the same database that is not taken from the pool, for work that must
   * not wait behind the pool's users (killing an abandoned server session). For the engine's own
   * HikariCP pool: the driver's connection for the pool's JDBC URL, user, password and driver
   * properties (or the pool's wrapped {@code DataSource}). For a {@code DataSource} the
   * application wrapped (or a HikariCP pool configured by {@code dataSourceClassName}), there is
   * nothing else to open from: it is borrowed from that data source.
   * Blocking; the caller closes the connection.
   *
   * @throws SQLException when the database cannot be reached
   */
  public Connection openOutsidePool() throws SQLException {
    HikariDataSource hikari = this.hikari;
    if (hikari != null) {
      if (hikari.getDataSource() != null) {
        return hikari.getUsername() != null
            ? hikari.getDataSource().getConnection(hikari.getUsername(), hikari.getPassword())
            : hikari.getDataSource().getConnection();
      }
      if (hikari.getJdbcUrl() != null) {
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
          properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
          properties.setProperty("password", hikari.getPassword());
        }
        return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
      }
    }
    return dataSource.getConnection();
  }

  /** Takes {@code connection} out of the pool for good; the caller still closes it. */
  public void evict(Connection connection) {
    if (hikari != null) {
      hikari.evictConnection(connection);
      return;
    }
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Aborting an invalidated connection failed", e);
    }
  }

  /**
   * The pool's numbers, read from HikariCP's pool bean: {@code -1} for a data source that is not
   * HikariCP, 0 before HikariCP has started its pool. No gate. Never blocks; any thread.
   */
  public PoolStatus status() {
    HikariDataSource hikari = this.hikari;
    if (hikari == null) {
      return new PoolStatus(declaredMaxSize, -1, -1, -1, -1, null);
    }
    HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
    if (pool == null) {
      return new PoolStatus(hikari.getMaximumPoolSize(), 0, 0, 0, 0, null);
    }
    return new PoolStatus(hikari.getMaximumPoolSize(), pool.getActiveConnections(), pool.getIdleConnections(),
        pool.getTotalConnections(), pool.getThreadsAwaitingConnection(), null);
  }

  /** Closes the pool if the engine owns it; idempotent. */
  public void close() {
    if (closed.compareAndSet(false, true) && owned && dataSource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Closing the connection pool failed", e);
      }
    }
  }

  /** The HikariCP pool behind {@code dataSource} (itself, or behind a delegating proxy), or null. */
  public static @Nullable HikariDataSource hikariBehind(DataSource dataSource) {
    if (dataSource instanceof HikariDataSource hikari) {
      return hikari;
    }
    try {
      return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  private String describeTimeout() {
    HikariDataSource hikari = this.hikari;
    if (hikari != null) {
      HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
      if (pool != null) {
        return "pool size " + hikari.getMaximumPoolSize() + ", in use " + pool.getActiveConnections()
            + ", waiting " + pool.getThreadsAwaitingConnection() + ", timeout " + hikari.getConnectionTimeout() + " ms";
      }
    }
    return "the pool timed out";
  }
}
