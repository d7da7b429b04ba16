package io.asyncengine.spring;

import com.zaxxer.hikari.HikariConfig;
import io.asyncengine.concurrent.ExecutorMode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Gives a PostgreSQL pool whose connections the engine will use on virtual lanes pgjdbc's
 * {@code socketFactory} {@value #FACTORY}: its reads wait actively for a moment for the server's
 * answer before parking the virtual thread, so a short statement's round trip costs no poller
 * wake-up. Applied only where it changes nothing else: a pool configured by JDBC URL (not by a
 * {@code DataSource} class or instance), on {@code jdbc:postgresql:}, with no {@code socketFactory}
 * of its own in its properties or URL, when {@code async-engine.executor.mode} leaves the lanes
 * virtual ({@code auto} or {@code virtual}) and {@code async-engine.executor.spin-socket-reads} is
 * not {@code false}.
 */
final class SocketReadSpin {

  static final String PROPERTY = "socketFactory";
  static final String FACTORY = "io.asyncengine.concurrent.internal.SpinningSocketFactory";

  private SocketReadSpin() {}

  /** Whether {@code config} gets the factory; runs on the thread that configures the pool. */
  static boolean applies(HikariConfig config, ExecutorMode mode, boolean enabled) {
    String url = config.getJdbcUrl();
    return enabled && mode != ExecutorMode.PLATFORM && url != null
        && url.startsWith("jdbc:postgresql:") && !url.toLowerCase(Locale.ROOT).contains("socketfactory")
        && config.getDataSourceClassName() == null && config.getDataSource() == null
        && !hasOwnFactory(config);
  }

  /** Sets the factory on {@code config} when it {@link #applies}; returns whether it did. */
  static boolean apply(HikariConfig config, ExecutorMode mode, boolean enabled) {
    if (!applies(config, mode, enabled)) {
      return false;
    }
    config.addDataSourceProperty(PROPERTY, FACTORY);
    return true;
  }

  private static boolean hasOwnFactory(HikariConfig config) {
    for (Object name : config.getDataSourceProperties().keySet()) {
      if (name instanceof String key && key.equalsIgnoreCase(PROPERTY)) {
        return true;
      }
    }
    return false;
  }

  /** The configured executor mode, {@code AUTO} when unset or unreadable. */
  static ExecutorMode mode(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return ExecutorMode.AUTO;
    }
    try {
      return ExecutorMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return ExecutorMode.AUTO; // the engine's own binding reports the bad value
    }
  }
}
