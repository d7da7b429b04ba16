package io.asyncengine.spring;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where the auto-configured engine's connections come from: the application's {@code DataSource},
 * which the engine wraps and never closes, or a pool the starter created for {@code async-engine.url}
 * and owns, closed by {@link #close()} after the engine was disposed (the context destroys the
 * engine bean, which depends on this one, first). Thread-safe.
 */
public final class EngineDataSource implements AutoCloseable {

  private final DataSource dataSource;
  private final boolean owned;

  private EngineDataSource(DataSource dataSource, boolean owned) {
    this.dataSource = dataSource;
    this.owned = owned;
  }

  /** The application's {@code dataSource}, wrapped and left open. */
  public static EngineDataSource wrapping(DataSource dataSource) {
    return new EngineDataSource(dataSource, false);
  }

  /** A pool the starter created; {@link #close()} closes it. */
  public static EngineDataSource owning(HikariDataSource pool) {
    return new EngineDataSource(pool, true);
  }

  /** The data source the engine runs on. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Whether the starter created the pool and closes it. */
  public boolean owned() {
    return owned;
  }

  /**
   * The HikariCP pool behind the data source, found through {@code unwrap} so that proxies work,
   * or {@code null} when it is not HikariCP. Never blocks.
   */
  public @Nullable HikariDataSource hikari() {
    return unwrapHikari(dataSource);
  }

  /** The JDBC URL of the pool when HikariCP knows it, else {@code null}. */
  public @Nullable String jdbcUrl() {
    HikariDataSource hikari = hikari();
    return hikari != null ? hikari.getJdbcUrl() : null;
  }

  /** Closes the pool if the starter owns it; the application's data source is left alone. */
  @Override
  public void close() {
    if (owned && dataSource instanceof HikariDataSource pool) {
      pool.close();
    }
  }

  static @Nullable HikariDataSource unwrapHikari(DataSource dataSource) {
    if (dataSource instanceof HikariDataSource hikari) {
      return hikari;
    }
    try {
      return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }
}
