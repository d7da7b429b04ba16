package io.asyncengine.spring.diagnostics;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a missing {@link AsyncEngine} or {@link AsyncSessionFactory} bean when the reason is
 * several {@code DataSource} beans and none marked primary, so the starter could not pick one.
 * Ordered before Boot's general missing-bean analyzer; other missing beans are left to it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class AmbiguousDataSourceFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> {

  private final @Nullable ConfigurableListableBeanFactory beanFactory;

  /** @param beanFactory the failed context's bean factory, passed in by Boot */
  public AmbiguousDataSourceFailureAnalyzer(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory listable ? listable : null;
  }

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
    Class<?> missing = cause.getBeanType();
    if (beanFactory == null || (missing != AsyncEngine.class && missing != AsyncSessionFactory.class)) {
      return null;
    }
    List<String> dataSources = Arrays.asList(beanFactory.getBeanNamesForType(DataSource.class, true, false));
    boolean primary = dataSources.stream()
        .anyMatch(name -> beanFactory.containsBeanDefinition(name) && beanFactory.getBeanDefinition(name).isPrimary());
    if (dataSources.size() < 2 || primary) {
      return null;
    }
    return new FailureAnalysis(
        "No " + missing.getSimpleName() + " bean: the application has " + dataSources.size() + " DataSource beans "
            + dataSources + " and none is marked primary, so async-engine cannot choose which one to wrap.",
        "Mark one DataSource @Primary, or define the AsyncEngine beans yourself, one per DataSource "
            + "(AsyncEngine.builder().dataSource(...).build()), with an AsyncSessionFactory for each.",
        cause);
  }
}
