package io.asyncengine.result;

import org.jspecify.annotations.Nullable;

/**
 * Maps one {@link Row} to an object, like Spring's {@code RowMapper} without the checked exception.
 *
 * <p>Called on the thread that reads the result: a lane thread for streams, the caller's thread
 * for {@link Result#map(RowMapper)}.
 *
 * @param <T> the mapped type
 */
@FunctionalInterface
public interface RowMapper<T> {

  /** Maps {@code row}; may return {@code null}. */
  @Nullable T map(Row row);
}
