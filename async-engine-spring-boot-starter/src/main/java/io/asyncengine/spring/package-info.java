/**
 * Spring Boot auto-configuration for async-engine: {@code AsyncEngine} and {@code AsyncSessionFactory}
 * beans configured by {@code async-engine.*} properties, over the application's {@code DataSource}
 * or a pool of the starter's own.
 */
@NullMarked
package io.asyncengine.spring;

import org.jspecify.annotations.NullMarked;
