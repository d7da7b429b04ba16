package io.asyncengine.core.internal;

import java.util.Iterator;

/**
 * An open, forward-only cursor over a query's rows, each row read into an item (a {@code Row}, a
 * record, a scalar) by the reader planned when the cursor opened. What the async facade's streams
 * read from; the public face of the row case is {@code RowCursor}.
 *
 * <p>Not thread-safe: read it on the thread that owns the connection. {@link #hasNext()} may read
 * a few rows ahead (under one fetch publication) and keeps them, and a failure among them, for the
 * following calls, so items and failures arrive in row order.
 *
 * @param <T> the item type
 */
public interface ItemCursor<T> extends Iterator<T>, AutoCloseable {

  /**
   * Whether another item is available, fetching from the server if needed.
   *
   * @throws io.asyncengine.error.AsyncEngineException when fetching fails (the cursor is closed)
   * @throws io.asyncengine.error.MappingException when the next row cannot be read into an item
   * @throws io.asyncengine.error.ResourceClosedException when the connection is closed
   */
  @Override
  boolean hasNext();

  /**
   * Whether a fetch failed (a cancel that cut it off, a lost connection): the transaction the cursor
   * ran in may be aborted, even when the failure has not been thrown yet because rows read before it
   * are still in hand.
   */
  boolean fetchFailed();

  /** Whether the cursor has been closed (explicitly, by exhaustion, or with its connection). */
  boolean isClosed();

  /** Closes the statement and its result set; idempotent; never throws. */
  @Override
  void close();
}
