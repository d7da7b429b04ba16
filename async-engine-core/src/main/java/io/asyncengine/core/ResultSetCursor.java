package io.asyncengine.core;

import io.asyncengine.core.internal.ResultReader;
import io.asyncengine.core.internal.RunningStatement;

import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RowCursor} over an open JDBC result set. Reads one row ahead so {@link #hasNext()} can
 * answer; closes itself after the last row or on the first failure. Closed before its last row, it
 * first has the dialect stop the query on the server ({@link Dialect#stopAbandonedCursor}), so that
 * closing never reads the rest of a large result. A fetch in progress can be cancelled from another
 * thread through the connection's running statement ({@link Dialect#cancelFetch}). Not thread-safe.
 */
final class ResultSetCursor implements RowCursor {

  private final SqlConnection connection;
  private final Dialect dialect;
  private final RunningStatement running;
  private final String sql;
  private final PreparedStatement statement;
  private final ResultSet resultSet;
  private final ColumnLabels columns;
  private final Runnable cancelFetch;
  private @Nullable Row next;
  private boolean closed;
  /** The result set said it has no more rows, or failed: nothing left for the server to send. */
  private boolean exhausted;

  ResultSetCursor(SqlConnection connection, Connection jdbc, Dialect dialect, RunningStatement running, String sql,
      PreparedStatement statement, ResultSet resultSet, ColumnLabels columns) {
    this.connection = connection;
    this.dialect = dialect;
    this.cancelFetch = () -> dialect.cancelFetch(jdbc, statement);
    this.running = running;
    this.sql = sql;
    this.statement = statement;
    this.resultSet = resultSet;
    this.columns = columns;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    if (connection.isClosed()) {
      close();
      throw new ResourceClosedException("The connection of this cursor is closed");
    }
    running.startFetch(statement, cancelFetch);
    try {
      if (resultSet.next()) {
        next = ResultReader.read(resultSet, columns);
        return true;
      }
      exhausted = true;
      close();
      return false;
    } catch (SQLException e) {
      exhausted = true;
      close();
      throw connection.translate("stream", sql, null, e);
    } finally {
      running.finish();
    }
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException("The cursor has no more rows");
    }
    Row row = next;
    next = null;
    return row;
  }

  @Override
  public ColumnLabels columns() {
    return columns;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    next = null;
    if (!exhausted && !connection.isClosed()) {
      try {
        dialect.stopAbandonedCursor(statement);
      } catch (SQLException | RuntimeException ignored) {
        // The close below still ends the cursor, only more slowly.
      }
    }
    try {
      resultSet.close();
    } catch (SQLException | RuntimeException ignored) {
      // Closing after a failure or a cancel; the statement close below still frees the cursor.
    }
    try {
      statement.close();
    } catch (SQLException | RuntimeException ignored) {
      // The connection may be broken; the pool will find out.
    }
    connection.cursorClosed(this);
  }
}
