package io.asyncengine.mapping;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Maps the current row of a JDBC {@link ResultSet} to an object with the driver's typed getters,
 * like Spring's {@code RowMapper}: the fastest way to stream rows, since no {@code Row} is built.
 *
 * <p>Runs on the thread that reads the cursor: the caller's for the synchronous API, the
 * connection's lane for the async one (so it must not block on anything but the result set, nor
 * call the async API). The result set is positioned on the row to map and belongs to the engine:
 * read the current row's columns only; never move the cursor ({@code next}, {@code absolute}...),
 * close it, update it, or keep it (or a {@code Blob}, {@code Clob} or {@code Array} read from it)
 * past the call. Values are as the driver returns them: no {@link io.asyncengine.types.TypeConverter}
 * conversion, and {@code getLong} of a NULL is {@code 0} (check {@code wasNull()}).
 *
 * @param <T> the mapped type
 */
@FunctionalInterface
public interface ResultSetMapper<T> {

  /**
   * Maps the row the result set is positioned on. May return {@code null} for a {@code Stream},
   * not for a {@code Flow.Publisher} (which cannot emit null: the stream then fails).
   *
   * @throws SQLException from the driver; the stream fails with it, translated as any database
   *     error and naming the SQL
   */
  @Nullable T map(ResultSet resultSet) throws SQLException;
}
