package io.asyncengine.core.internal;

import io.asyncengine.mapping.internal.ColumnRead;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Row;
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
      values[i] = ColumnRead.detach(resultSet.getObject(i + 1));
    }
    return new Row(columns, values);
  }
}
