package io.asyncengine.spring;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: when the application configures no database (no {@code DataSource} bean,
 * no {@code JdbcConnectionDetails}, no {@code spring.datasource.url} or {@code jndi-name}), a
 * {@code DataSource} bean for {@code async-engine.url}, or for an SQLite file at
 * {@code async-engine.sqlite.path} with the core's SQLite pragmas. It runs before Boot's
 * {@link DataSourceAutoConfiguration}, which then backs off, and the engine wraps it like any
 * application {@code DataSource}: Boot's HikariCP metrics, {@code db} health and
 * {@code schema.sql} initialisation apply to it unchanged.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, DataSource.class })
@ConditionalOnBooleanProperty(name = "async-engine.enabled", matchIfMissing = true)
@ConditionalOnMissingBean({ DataSource.class, JdbcConnectionDetails.class })
@Conditional(AsyncEngineDataSourceAutoConfiguration.NoDataSourceProperties.class)
@EnableConfigurationProperties(AsyncEngineProperties.class)
public final class AsyncEngineDataSourceAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  HikariDataSource asyncEngineDataSource(AsyncEngineProperties properties,
      ObjectProvider<AsyncEnginePoolCustomizer> customizers) {
    properties.validate();
    String url = properties.getUrl();
    if (url == null) {
      return StarterPools.create(StarterPools.sqliteUrl(properties), null, null, properties,
          customizers.orderedStream().toList(), DefaultDataSource::new);
    }
    return StarterPools.create(url, properties.getUsername(), properties.getPassword(), properties,
        customizers.orderedStream().toList(), DefaultDataSource::new);
  }

  /** Matches when neither {@code spring.datasource.url} nor {@code spring.datasource.jndi-name} is set. */
  static final class NoDataSourceProperties extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      for (String property : new String[] { "spring.datasource.url", "spring.datasource.jndi-name" }) {
        if (context.getEnvironment().containsProperty(property)) {
          return ConditionOutcome.noMatch(property + " is set");
        }
      }
      return ConditionOutcome.match("neither spring.datasource.url nor spring.datasource.jndi-name is set");
    }
  }
}
