package io.asyncengine.spring;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;

/**
 * Applies {@link SocketReadSpin} to the application's HikariCP pools (Boot's
 * {@code spring.datasource} pool among them) after their properties are bound and before their
 * first connection: HikariCP opens connections lazily, and a bean is handed to the beans that use
 * it only after every post-processor ran. Runs on the thread that refreshes the context.
 */
final class SocketReadSpinPostProcessor implements BeanPostProcessor {

  private final Environment environment;

  SocketReadSpinPostProcessor(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool && !pool.isRunning() && !pool.isClosed()) {
      try {
        SocketReadSpin.apply(pool, SocketReadSpin.mode(environment.getProperty("async-engine.executor.mode")),
            environment.getProperty("async-engine.executor.spin-socket-reads", Boolean.class, true));
      } catch (IllegalStateException sealed) {
        // Started already (someone asked it for a connection): leave it as it is.
      }
    }
    return bean;
  }
}
