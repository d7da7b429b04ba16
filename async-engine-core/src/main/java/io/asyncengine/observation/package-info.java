/**
 * Observation of the engine's operations, without a dependency on any metrics or tracing library:
 * an {@link io.asyncengine.observation.OperationObserver} installed with
 * {@code AsyncEngine.Builder.observer} is told when each operation and each connect starts (on the
 * caller's thread), gets a scope opened around the operation's JDBC work (on the connection's lane),
 * and is told how it ended. The Spring Boot starter adapts it to Micrometer's {@code Observation}.
 */
@NullMarked
package io.asyncengine.observation;

import org.jspecify.annotations.NullMarked;
