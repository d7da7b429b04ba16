package io.asyncengine.bench.http.data;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Profile {@code data-jdbc}: the dialect, {@link SqliteDialect} on SQLite (Spring Data JDBC knows
 * none), else the one Spring Data detects. The profile also turns the repositories on
 * ({@code application-data-jdbc.yml}); without it Boot's Spring Data JDBC auto-configuration stays off.
 */
@Configuration(proxyBeanMethods = false)
@Profile("data-jdbc")
class DataJdbcConfiguration {

  @Bean
  JdbcDialect jdbcDialect(JdbcOperations jdbc, @Value("${spring.datasource.url}") String url) {
    return url.startsWith("jdbc:sqlite:") ? SqliteDialect.INSTANCE : DialectResolver.getDialect(jdbc);
  }
}
