package io.asyncengine.sample.users;

import io.asyncengine.result.Row;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Bridges an engine {@link Flow.Publisher} of rows to one blocking reader, with backpressure: it
 * requests {@code batch} rows, and the next {@code batch} only after the reader has taken all of
 * them, so at most {@code batch} rows are ever held, however slow the reader. The engine fetches
 * from its server-side cursor only what was requested, so a reader blocked on a slow client stops
 * the cursor too. {@link #cancel()} cancels the subscription, which closes the cursor.
 *
 * <p>Threads: the engine calls the {@code Subscriber} methods on the connection's lane (and
 * {@code onSubscribe} on the subscribing thread); {@link #take()} and {@link #cancel()} are for
 * the one reading thread.
 */
final class RowQueue implements Flow.Subscriber<Row> {

  private static final Object END = new Object();

  private final int batch;
  // Holds at most batch rows plus the terminal signal: the publisher never sends more than requested.
  private final BlockingQueue<Object> queue;
  private volatile Flow.@Nullable Subscription subscription;
  private int takenOfBatch; // reader thread only

  RowQueue(int batch) {
    this.batch = batch;
    this.queue = new ArrayBlockingQueue<>(batch + 1);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(batch);
  }

  @Override
  public void onNext(Row row) {
    queue.add(row); // throws if the publisher sent more than requested: a broken contract
  }

  @Override
  public void onError(Throwable failure) {
    queue.offer(new Failure(failure));
  }

  @Override
  public void onComplete() {
    queue.offer(END);
  }

  /**
   * The next row, waiting for it; null at the end of the rows.
   *
   * @throws RuntimeException the stream's failure
   * @throws InterruptedException when the reading thread is interrupted
   */
  @Nullable Row take() throws InterruptedException {
    Object next = queue.take();
    if (next == END) {
      return null;
    }
    if (next instanceof Failure failure) {
      throw failure.asRuntime();
    }
    if (++takenOfBatch == batch) {
      takenOfBatch = 0;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(batch);
      }
    }
    return (Row) next;
  }

  /** Cancels the subscription: the engine stops fetching and closes the cursor. Idempotent. */
  void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private record Failure(Throwable cause) {
    RuntimeException asRuntime() {
      return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
  }
}
