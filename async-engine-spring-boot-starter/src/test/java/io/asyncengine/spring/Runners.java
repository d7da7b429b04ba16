package io.asyncengine.spring;

import io.asyncengine.spring.health.AsyncEngineHealthContributorAutoConfiguration;
import io.asyncengine.spring.metrics.AsyncEngineMetricsAutoConfiguration;
import io.asyncengine.spring.observation.AsyncEngineObservationAutoConfiguration;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner of the starter's tests: Boot's DataSource auto-configuration and the starter's. */
final class Runners {

  private Runners() {}

  static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            AsyncEngineDataSourceAutoConfiguration.class, AsyncEngineAutoConfiguration.class,
            AsyncEngineHealthContributorAutoConfiguration.class, AsyncEngineMetricsAutoConfiguration.class,
            AsyncEngineObservationAutoConfiguration.class))
        .withPropertyValues("async-engine.shutdown.grace-period=2s");
  }

  /** The runner on a fresh zero-configuration SQLite file. */
  static ApplicationContextRunner sqlite() {
    Path file = StarterDatabases.sqliteFile();
    return runner().withPropertyValues("async-engine.sqlite.path=" + file);
  }

  /** The runner with {@code spring.datasource.url} set to {@code url}. */
  static ApplicationContextRunner datasource(String url) {
    return runner().withPropertyValues("spring.datasource.url=" + url,
        "spring.datasource.hikari.maximum-pool-size=4", "spring.datasource.hikari.minimum-idle=1");
  }
}
