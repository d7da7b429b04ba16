package io.asyncengine.result;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An open, forward-only cursor over a query's rows, read a fetch-size batch at a time from a
 * server-side cursor, so memory stays flat whatever the row count.
 *
 * <p>Holds a statement open on its connection until {@link #close() closed} or exhausted (it closes
 * itself after the last row). Not thread-safe: read it on the thread that owns the connection —
 * the caller's for the synchronous API, the connection's lane for the async one.
 */
public interface RowCursor extends Iterator<Row>, AutoCloseable {

  /**
   * Whether another row is available, fetching the next batch from the server if needed.
   *
   * @throws io.asyncengine.error.AsyncEngineException when fetching fails (the cursor is closed)
   * @throws io.asyncengine.error.ResourceClosedException when the cursor or its connection is closed
   */
  @Override
  boolean hasNext();

  /**
   * The next row.
   *
   * @throws java.util.NoSuchElementException when there is none
   */
  @Override
  Row next();

  /** The column labels of the rows. */
  ColumnLabels columns();

  /** Whether the cursor has been closed (explicitly, by exhaustion, or with its connection). */
  boolean isClosed();

  /** Closes the statement and its result set; idempotent; never throws. */
  @Override
  void close();

  /** The remaining rows as a sequential stream; closing the stream closes the cursor. */
  default Stream<Row> stream() {
    Spliterator<Row> spliterator = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL);
    return StreamSupport.stream(spliterator, false).onClose(this::close);
  }
}
