package io.asyncengine.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The application's {@code DataSource} when it configures none: a HikariCP pool for
 * {@code async-engine.url}, or for the zero-configuration SQLite file. Its own type lets the engine
 * tell it from a pool the application made. Closed by the context like any {@code DataSource} bean.
 */
final class DefaultDataSource extends HikariDataSource {

  DefaultDataSource(HikariConfig config) {
    super(config);
  }
}
