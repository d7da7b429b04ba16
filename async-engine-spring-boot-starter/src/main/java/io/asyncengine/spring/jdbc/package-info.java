/**
 * Spring's {@code DataAccessException} hierarchy for async-engine's errors.
 */
@NullMarked
package io.asyncengine.spring.jdbc;

import org.jspecify.annotations.NullMarked;
