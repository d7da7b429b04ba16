package io.asyncengine.core;

import io.asyncengine.core.internal.ItemCursor;
import io.asyncengine.core.internal.RunningStatement;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.mapping.ResultSetMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ItemCursor} over an open JDBC result set, each row read into an item by the reader
 * planned when it opened. Reads up to {@value #READ_AHEAD} rows ahead under one publication of the
 * fetch as running (so that a cancel reaches it), instead of one per row: the publication is a
 * handful of volatile writes, a cost the size of the row's own reading when millions of rows stream
 * by. A failure among the rows read ahead is kept and thrown once the rows before it are taken, so
 * items and failures arrive in row order. Closes itself when the rows run out (at the
 * {@link #hasNext()} that finds none) or at a fetch failure. Closed before its last row, it first
 * has the dialect stop the query on the server ({@link Dialect#stopAbandonedCursor}), so that
 * closing never reads the rest of a large result. A fetch in progress can be cancelled from another
 * thread through the connection's running statement ({@link Dialect#cancelFetch}). Not thread-safe.
 */
final class ResultSetCursor<T> implements ItemCursor<T> {

  /** Rows read per publication of the fetch; also what a reader may run ahead of the consumer. */
  static final int READ_AHEAD = 64;

  private final SqlConnection connection;
  private final Dialect dialect;
  private final RunningStatement running;
  private final String sql;
  private final PreparedStatement statement;
  private final ResultSet resultSet;
  private final ColumnLabels columns;
  private final ResultSetMapper<? extends T> reader;
  private final Runnable cancelFetch;
  private final @Nullable Object[] buffer = new Object[READ_AHEAD];
  private int head;
  private int count;
  /** Thrown once the buffered items before it are taken. */
  private @Nullable RuntimeException pendingFailure;
  private boolean closed;
  /** The result set said it has no more rows, or failed: nothing left for the server to send. */
  private boolean exhausted;
  private boolean fetchFailed;

  ResultSetCursor(SqlConnection connection, Connection jdbc, Dialect dialect, RunningStatement running, String sql,
      PreparedStatement statement, ResultSet resultSet, ColumnLabels columns, ResultSetMapper<? extends T> reader) {
    this.connection = connection;
    this.dialect = dialect;
    this.cancelFetch = () -> dialect.cancelFetch(jdbc, statement);
    this.running = running;
    this.sql = sql;
    this.statement = statement;
    this.resultSet = resultSet;
    this.columns = columns;
    this.reader = reader;
  }

  @Override
  public boolean hasNext() {
    if (head < count) {
      return true;
    }
    RuntimeException failure = pendingFailure;
    if (failure != null) {
      pendingFailure = null;
      close();
      throw failure;
    }
    if (closed) {
      return false;
    }
    if (exhausted) {
      close();
      return false;
    }
    if (connection.isClosed()) {
      close();
      throw new ResourceClosedException("The connection of this cursor is closed");
    }
    fill();
    if (head < count) {
      return true;
    }
    failure = pendingFailure;
    pendingFailure = null;
    close();
    if (failure != null) {
      throw failure;
    }
    return false;
  }

  /** Reads up to {@link #READ_AHEAD} rows into the buffer, keeping a failure for later. */
  private void fill() {
    head = 0;
    count = 0;
    running.startFetch(statement, cancelFetch);
    try {
      while (count < READ_AHEAD) {
        if (!resultSet.next()) {
          exhausted = true;
          return;
        }
        buffer[count] = reader.map(resultSet);
        count++;
      }
    } catch (SQLException e) {
      exhausted = true;
      fetchFailed = true;
      pendingFailure = connection.translate("stream", sql, null, e);
    } catch (RuntimeException e) {
      pendingFailure = e; // a row that cannot be read into an item (MappingException, the mapper's own)
    } finally {
      running.finish();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException("The cursor has no more rows");
    }
    T item = (T) buffer[head];
    buffer[head++] = null;
    return item;
  }

  /** The column labels of the rows. */
  ColumnLabels columns() {
    return columns;
  }

  @Override
  public boolean fetchFailed() {
    return fetchFailed;
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
    Arrays.fill(buffer, head, count, null);
    head = 0;
    count = 0;
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
