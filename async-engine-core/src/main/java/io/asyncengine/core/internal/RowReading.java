package io.asyncengine.core.internal;

import io.asyncengine.mapping.RowObjectMapper;
import io.asyncengine.mapping.internal.ColumnRead;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.mapping.ResultSetMapper;
import io.asyncengine.result.Row;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * How the rows of a cursor become items, planned once when the cursor opens, from its result's
 * metadata: into {@link Row}s, into a record / POJO / simple type with typed getters, into the
 * first column, or by a caller's {@link ResultSetMapper}. Runs on the thread that opens the cursor.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface RowReading<T> {

  /**
   * The reader of this result's rows.
   *
   * @param strictTypes the dialect's {@code strictColumnTypes()}
   * @throws SQLException when the metadata cannot be read
   * @throws io.asyncengine.error.MappingException when the rows cannot be read into the type asked for
   */
  ResultSetMapper<T> plan(ResultSetMetaData metadata, ColumnLabels labels, boolean strictTypes) throws SQLException;

  /** Rows as detached {@link Row}s. */
  static RowReading<Row> rows() {
    return (metadata, labels, strictTypes) -> resultSet -> ResultReader.read(resultSet, labels);
  }

  /**
   * Rows as {@code type}, as {@link Row#as(Class)} maps them (same values, same failures), read
   * with typed getters and no {@code Row}.
   */
  static <T> RowReading<T> as(Class<T> type) {
    return (metadata, labels, strictTypes) ->
        RowObjectMapper.of(type, labels.labels()).resultSetMapper(metadata, strictTypes);
  }

  /**
   * The first column converted to {@code type}, as {@code row.get(0, type)} converts it (same
   * values, same failures), with no {@code Row}.
   */
  @SuppressWarnings("unchecked")
  static <T> RowReading<T> firstColumn(Class<T> type) {
    return (metadata, labels, strictTypes) -> {
      if (labels.size() == 0) {
        throw new io.asyncengine.error.InvalidRequestException(
            "Column index 0 out of range; the row has 0 columns " + labels);
      }
      ColumnRead read = ColumnRead.plan(metadata, 0, type, strictTypes, "Column '" + labels.labels().get(0) + "': ");
      return resultSet -> (T) read.read(resultSet);
    };
  }

  /** Rows through the caller's {@code mapper}. */
  static <T> RowReading<T> mapped(ResultSetMapper<T> mapper) {
    return (metadata, labels, strictTypes) -> mapper;
  }
}
