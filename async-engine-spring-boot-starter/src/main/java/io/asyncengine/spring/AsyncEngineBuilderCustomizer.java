package io.asyncengine.spring;

import io.asyncengine.asyncio.AsyncEngine;

/**
 * Adjusts the {@link AsyncEngine.Builder} of the auto-configured engine after the
 * {@code async-engine.*} properties were applied and before {@code build()}: the place for a
 * setting that has no property.
 *
 * <p>Called once, on the thread that creates the engine bean, in
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface AsyncEngineBuilderCustomizer {

  /**
   * Customizes {@code builder}. Exceptions thrown here fail the engine bean's creation.
   *
   * @param builder the engine's builder
   */
  void customize(AsyncEngine.Builder builder);
}
