/**
 * Micrometer meters for async-engine (with Micrometer on the classpath): operation and connection
 * acquisition timers fed by an engine listener, the admission gate's gauges, and HikariCP's own
 * metrics for the pools the starter creates.
 */
@NullMarked
package io.asyncengine.spring.metrics;

import org.jspecify.annotations.NullMarked;
