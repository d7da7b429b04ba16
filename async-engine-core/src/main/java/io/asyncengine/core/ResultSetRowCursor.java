package io.asyncengine.core;

import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;

/** The {@link RowCursor} face of a cursor that reads rows into {@link Row}s. Not thread-safe. */
final class ResultSetRowCursor implements RowCursor {

  private final ResultSetCursor<Row> cursor;

  ResultSetRowCursor(ResultSetCursor<Row> cursor) {
    this.cursor = cursor;
  }

  @Override
  public boolean hasNext() {
    return cursor.hasNext();
  }

  @Override
  public Row next() {
    return cursor.next();
  }

  @Override
  public ColumnLabels columns() {
    return cursor.columns();
  }

  @Override
  public boolean isClosed() {
    return cursor.isClosed();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
