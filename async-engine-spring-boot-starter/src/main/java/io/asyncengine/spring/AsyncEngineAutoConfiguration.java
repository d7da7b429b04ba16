package io.asyncengine.spring;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.spring.diagnostics.DatabaseUnreachableException;
import io.asyncengine.spring.jdbc.SpringExceptionTranslator;
import io.micrometer.context.ContextSnapshotFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Auto-configures an {@link AsyncEngine} and an {@link AsyncSessionFactory}. The engine wraps the
 * application's single (or primary) {@code DataSource}, never closing it; when
 * {@code async-engine.url} is set and the application has a {@code DataSource} of its own, the
 * engine gets a HikariCP pool of its own for that URL instead, closed after the engine. Database
 * work runs on virtual threads for socket drivers and on platform threads for SQLite unless
 * {@code async-engine.executor.mode} says otherwise; the choice is logged at INFO. Every bean backs
 * off when the application defines its own; {@code async-engine.enabled=false} turns all off.
 *
 * <p>Beans are created on the thread that refreshes the context.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, AsyncEngineDataSourceAutoConfiguration.class })
@ConditionalOnClass({ AsyncEngine.class, DataSource.class })
@ConditionalOnBooleanProperty(name = "async-engine.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncEngineProperties.class)
public final class AsyncEngineAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncEngineAutoConfiguration.class);
  /** The engine's name, told to observers: its bean's name (also the {@code engine} tag of its meters). */
  static final String ENGINE_NAME = "asyncEngine";

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(AsyncEngine.class)
  AsyncSessionFactory asyncSessionFactory(AsyncEngine engine, AsyncEngineProperties properties) {
    return AsyncSessionFactory.builder(engine)
        .expireOnCommit(properties.getSession().isExpireOnCommit())
        .autoflush(properties.getSession().isAutoflush())
        .build();
  }

  /** Static: a post-processor must exist before the DataSource it adjusts. */
  @Bean
  static SocketReadSpinPostProcessor asyncEngineSocketReadSpin(Environment environment) {
    return new SocketReadSpinPostProcessor(environment);
  }

  @Bean
  @ConditionalOnMissingBean
  AsyncEngineLifecycle asyncEngineLifecycle(ObjectProvider<AsyncEngine> engines) {
    return new AsyncEngineLifecycle(engines);
  }

  /** The engine and its connection source, when there is a single DataSource or async-engine.url. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(EngineSourceCondition.class)
  static class EngineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EngineDataSource asyncEngineConnectionSource(AsyncEngineProperties properties, ObjectProvider<DataSource> dataSources,
        ObjectProvider<AsyncEnginePoolCustomizer> customizers) {
      properties.validate();
      DataSource application = dataSources.getIfUnique();
      String url = properties.getUrl();
      if (url != null && !(application instanceof DefaultDataSource)) {
        return EngineDataSource.owning(StarterPools.create(url, properties.getUsername(), properties.getPassword(),
            properties, customizers.orderedStream().toList(), HikariDataSource::new));
      }
      if (application == null) {
        throw new IllegalStateException("No unique DataSource to wrap and async-engine.url is not set");
      }
      return EngineDataSource.wrapping(application);
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncEngine asyncEngine(EngineDataSource source, AsyncEngineProperties properties,
        ObjectProvider<ExceptionTranslator> translators, ObjectProvider<TaskDecorator> taskDecorators,
        ObjectProvider<AsyncEngineBuilderCustomizer> customizers) {
      properties.validate();
      Dialect dialect = dialectOf(source);
      ExecutorModeChoice choice = ExecutorModeChoice.of(properties.getExecutor().getMode(), dialect);
      AsyncEngine.Builder builder = AsyncEngine.builder()
          .name(ENGINE_NAME)
          .dataSource(source.dataSource())
          .dialect(dialect)
          .executorMode(choice.mode())
          .virtualContinuations(properties.getExecutor().isVirtualContinuations())
          .echo(properties.isEcho())
          .statementCacheSize(properties.getStatementCacheSize())
          .shutdownGracePeriod(properties.getShutdown().getGracePeriod());
      HikariDataSource hikari = source.hikari();
      if (hikari != null) {
        // Found through unwrap, so the gate matches the pool behind a proxy too.
        builder.maxPoolSize(hikari.getMaximumPoolSize())
            .connectionTimeout(Duration.ofMillis(hikari.getConnectionTimeout()));
      }
      if (properties.getStatementTimeout() != null) {
        builder.statementTimeout(properties.getStatementTimeout());
      }
      if (properties.getIsolationLevel() != null) {
        builder.isolationLevel(properties.getIsolationLevel());
      }
      AsyncEngineProperties.Executor executor = properties.getExecutor();
      if (executor.getMaxConcurrency() != null) {
        builder.maxConcurrency(executor.getMaxConcurrency());
      }
      if (executor.getPlatformThreads() != null) {
        builder.platformThreads(executor.getPlatformThreads());
      }
      if (properties.getContextPropagation().isEnabled()) {
        StarterContextPropagators.of(taskDecorators.getIfUnique()).forEach(builder::contextPropagator);
      }
      ExceptionTranslator translator = translators.getIfUnique();
      if (translator != null) {
        builder.exceptionTranslator(translator);
      }
      customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
      AsyncEngine engine = builder.build();
      LOG.info("AsyncEngine on {} ({} pool{}) runs database work on {} threads: {}{}{}", dialect.name(),
          source.owned() ? "its own" : "the application's", hikari != null ? " " + hikari.getPoolName() : "",
          engine.executorMode().name().toLowerCase(Locale.ROOT), choice.reason(),
          engine.executorMode() == ExecutorMode.PLATFORM && properties.getExecutor().isVirtualContinuations()
              ? "; continuations run on virtual threads" : "",
          engine.executorMode() == ExecutorMode.VIRTUAL && hikari != null && SocketReadSpin.FACTORY.equals(hikari.getDataSourceProperties().getProperty(SocketReadSpin.PROPERTY))
              ? "; socket reads wait briefly for the answer before parking" : "");
      return engine;
    }

    private static Dialect dialectOf(EngineDataSource source) {
      String url = source.jdbcUrl();
      if (url != null) {
        Dialect byUrl = Dialect.forJdbcUrl(url);
        if (!byUrl.name().equals(Dialect.generic().name())) {
          return byUrl;
        }
      }
      try (Connection connection = source.dataSource().getConnection()) {
        return Dialect.forProductName(connection.getMetaData().getDatabaseProductName());
      } catch (SQLException | RuntimeException e) {
        throw new DatabaseUnreachableException(url != null ? url : "the application's DataSource", e);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ContextSnapshotFactory.class)
  @ConditionalOnBooleanProperty(name = "async-engine.context-propagation.enabled", matchIfMissing = true)
  static class ContextSnapshotConfiguration {

    /**
     * Micrometer's snapshot of every registered thread local (the current observation, security) per
     * call; none of its own when the application's task decorator is Spring's
     * {@code ContextPropagatingTaskDecorator}, which the engine applies already and which takes the
     * same snapshot.
     */
    @Bean
    AsyncEngineBuilderCustomizer asyncEngineContextSnapshotCustomizer(ObjectProvider<TaskDecorator> taskDecorators) {
      if (taskDecorators.getIfUnique() instanceof ContextPropagatingTaskDecorator) {
        return builder -> {};
      }
      return builder -> builder.contextPropagator(new MicrometerContextPropagator());
    }
  }

  /** Spring's DataAccessException hierarchy for driver errors, unless turned off. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SQLExceptionTranslator.class)
  @ConditionalOnBooleanProperty(name = "async-engine.exception-translation.enabled", matchIfMissing = true)
  static class ExceptionTranslationConfiguration {

    @Bean
    @ConditionalOnMissingBean(ExceptionTranslator.class)
    SpringExceptionTranslator asyncEngineExceptionTranslator(ObjectProvider<SQLExceptionTranslator> translators) {
      SQLExceptionTranslator custom = translators.getIfUnique();
      return custom != null ? new SpringExceptionTranslator(custom) : new SpringExceptionTranslator();
    }
  }

  /** A single DataSource candidate to wrap, or async-engine.url for a pool of the engine's own. */
  static final class EngineSourceCondition extends AnyNestedCondition {

    EngineSourceCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnSingleCandidate(DataSource.class)
    static final class SingleDataSource {}

    @ConditionalOnProperty("async-engine.url")
    static final class EngineUrl {}
  }

}
