package io.asyncengine.spring;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSessionFactory;
import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes {@link AsyncEngine} and {@link AsyncSessionFactory} beans depend on database
 * initialisation ({@code schema.sql}, Flyway, Liquibase), so the schema exists before they are
 * used. Called by Boot while it registers bean definitions.
 */
public final class AsyncEngineDependsOnDatabaseInitializationDetector
    extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

  @Override
  protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
    return Set.of(AsyncEngine.class, AsyncSessionFactory.class);
  }
}
