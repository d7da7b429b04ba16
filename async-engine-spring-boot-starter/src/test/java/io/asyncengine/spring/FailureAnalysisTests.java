package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.spring.diagnostics.AmbiguousDataSourceFailureAnalyzer;
import io.asyncengine.spring.diagnostics.AsyncEnginePropertyFailureAnalyzer;
import io.asyncengine.spring.diagnostics.DatabaseUnreachableFailureAnalyzer;
import io.asyncengine.spring.diagnostics.JdbcDriverNotFoundFailureAnalyzer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** Each failure analysis, from a real startup failure. */
class FailureAnalysisTests {

  @Test
  void databaseUnreachableAtStartup() {
    Runners.runner().withPropertyValues("async-engine.url=" + StarterDatabases.UNREACHABLE,
        "async-engine.pool.connection-timeout=250ms").run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = new DatabaseUnreachableFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains("could not connect to the database at "
              + "jdbc:postgresql://127.0.0.1:9/starter_nowhere").doesNotContain("user=postgres");
          assertThat(analysis.getAction()).contains("spring.datasource.url").contains("async-engine.url");
        });
  }

  @Test
  void jdbcDriverMissing() {
    Runners.runner().withPropertyValues("async-engine.url=jdbc:mysql://127.0.0.1:3306/starter").run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = new JdbcDriverNotFoundFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("no JDBC driver on the classpath accepts this URL")
          .contains("jdbc:mysql://127.0.0.1:3306/starter");
      assertThat(analysis.getAction()).contains("com.mysql:mysql-connector-j");
    });
  }

  @Test
  void unknownExecutorMode() {
    Runners.sqlite().withPropertyValues("async-engine.executor.mode=fast").run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = new AsyncEnginePropertyFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("'fast'").contains("async-engine.executor.mode")
          .contains("one of virtual, platform, auto");
    });
  }

  @Test
  void malformedDuration() {
    Runners.sqlite().withPropertyValues("async-engine.shutdown.grace-period=soon").run(context -> {
      FailureAnalysis analysis = new AsyncEnginePropertyFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("'soon'").contains("async-engine.shutdown.grace-period")
          .contains("a duration such as 500ms, 30s");
    });
  }

  @Test
  void otherPropertiesAreLeftToBoot() {
    Runners.sqlite().withPropertyValues("spring.datasource.hikari.connection-timeout=soon",
        "spring.datasource.url=" + StarterDatabases.sqliteUrl("other.db")).run(context -> {
          assertThat(context).hasFailed();
          assertThat(new AsyncEnginePropertyFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
        });
  }

  @Test
  void severalDataSourcesAndNoPrimary() {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.register(AsyncEngineAutoConfigurationTests.TwoDataSources.class, NeedsEngine.class,
        AsyncEngineAutoConfiguration.class);
    Throwable failure = catchThrowable(context::refresh);
    assertThat(failure).isNotNull();
    FailureAnalysis analysis = new AmbiguousDataSourceFailureAnalyzer(context.getBeanFactory()).analyze(failure);
    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription()).contains("2 DataSource beans [first, second] and none is marked primary");
    assertThat(analysis.getAction()).contains("@Primary");
  }

  @Test
  void analyzersAreRegisteredAndOrderedBeforeBoots() {
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    List<String> order = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
        .load(FailureAnalyzer.class, ArgumentResolver.of(BeanFactory.class, beanFactory), (type, name, failure) -> { }).stream()
        .map(analyzer -> analyzer.getClass().getName()).toList();
    assertThat(order).contains(DatabaseUnreachableFailureAnalyzer.class.getName(),
        JdbcDriverNotFoundFailureAnalyzer.class.getName());
    assertThat(order.indexOf(AsyncEnginePropertyFailureAnalyzer.class.getName()))
        .isLessThan(order.indexOf("org.springframework.boot.diagnostics.analyzer.BindFailureAnalyzer"));
    assertThat(order.indexOf(AmbiguousDataSourceFailureAnalyzer.class.getName())).isNotNegative()
        .isLessThan(order.indexOf("org.springframework.boot.autoconfigure.diagnostics.analyzer.NoSuchBeanDefinitionFailureAnalyzer"));
  }

  @Configuration(proxyBeanMethods = false)
  static class NeedsEngine {
    @Bean
    String usesEngine(AsyncEngine engine) {
      return engine.dialect().name();
    }
  }
}
