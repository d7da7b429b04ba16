package io.asyncengine.spring;

import com.zaxxer.hikari.HikariConfig;

/**
 * Adjusts the configuration of a HikariCP pool the starter creates (the zero-configuration SQLite
 * pool, or the pool of {@code async-engine.url}) before the pool starts. Pools the application
 * defines itself are never passed here.
 *
 * <p>Called once per pool, on the thread that creates the bean (the main thread at startup), in
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface AsyncEnginePoolCustomizer {

  /**
   * Customizes {@code config}. Exceptions thrown here fail the bean's creation.
   *
   * @param config the pool's settings, already filled from the {@code async-engine.*} properties
   */
  void customize(HikariConfig config);
}
