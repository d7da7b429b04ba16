package io.asyncengine.core.internal;

import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Row;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Copies rows out of a {@link ResultSet} into detached {@link Row}s. LOBs and arrays are read into
 * plain values here, while the result set is still open, so rows stay valid after it closes.
 * Stateless.
 */
public final class ResultReader {

  private ResultReader() {}

  /** The column labels of {@code resultSet}. */
  public static ColumnLabels labels(ResultSet resultSet) throws SQLException {
    ResultSetMetaData meta = resultSet.getMetaData();
    int count = meta.getColumnCount();
    List<String> labels = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      labels.add(meta.getColumnLabel(i));
    }
    return ColumnLabels.of(labels);
  }

  /** Reads every remaining row. */
  public static List<Row> readAll(ResultSet resultSet, ColumnLabels columns) throws SQLException {
    List<Row> rows = new ArrayList<>();
    while (resultSet.next()) {
      rows.add(read(resultSet, columns));
    }
    return rows;
  }

  /** Reads the current row. */
  public static Row read(ResultSet resultSet, ColumnLabels columns) throws SQLException {
    int count = columns.size();
    @Nullable Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      values[i] = detach(resultSet.getObject(i + 1));
    }
    return new Row(columns, values);
  }

  private static @Nullable Object detach(@Nullable Object value) throws SQLException {
    // The common values first: class checks are cheap, the interface checks below scan a list and
    // cost more per value than a whole row's bookkeeping when millions of rows stream by.
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Clob clob) {
      try {
        return clob.getSubString(1, (int) clob.length());
      } finally {
        clob.free();
      }
    }
    if (value instanceof Blob blob) {
      try {
        return blob.getBytes(1, (int) blob.length());
      } finally {
        blob.free();
      }
    }
    if (value instanceof Array array) {
      try {
        return array.getArray();
      } finally {
        array.free();
      }
    }
    return value;
  }
}
