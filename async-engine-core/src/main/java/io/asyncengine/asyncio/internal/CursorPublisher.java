package io.asyncengine.asyncio.internal;

import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A cold {@link Flow.Publisher} over a server-side cursor: each subscription opens the cursor on
 * the connection's lane when the first row is requested, emits no more rows than requested, and
 * closes the cursor on completion, failure or cancel.
 *
 * <p>All reads and all {@code onNext}/{@code onComplete}/{@code onError} signals happen on the
 * lane, one drain at a time, so signals are serial (Reactive Streams §1.3) and the JDBC cursor is
 * never touched by two threads. A drain emits at most {@link #BATCH} rows before yielding the lane,
 * so other operations queued on the connection are not starved.
 */
public final class CursorPublisher<T> implements Flow.Publisher<T> {

  static final int BATCH = 256;

  private final Lane lane;
  private final SqlConnection connection;
  private final String sql;
  private final Params params;
  private final Function<Row, T> mapper;

  /** A publisher of {@code sql}'s rows on {@code connection}, mapped by {@code mapper}. */
  public CursorPublisher(Lane lane, SqlConnection connection, String sql, Params params, Function<Row, T> mapper) {
    this.lane = lane;
    this.connection = connection;
    this.sql = sql;
    this.params = params;
    this.mapper = mapper;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber"); // Reactive Streams §1.9
    }
    Subscription subscription = new Subscription(subscriber);
    subscriber.onSubscribe(subscription);
  }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean draining;
    private boolean done; // lane-confined
    private RowCursor cursor; // lane-confined
    private volatile long invalidRequest; // non-positive request seen; written before cancelled
    private volatile boolean invalid;

    Subscription(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        invalidRequest = n;
        invalid = true;
        cancelled = true;
        schedule();
        return;
      }
      demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
      schedule();
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        if (draining) {
          connection.cancelStatement(); // stop a fetch in progress on the server
        }
        schedule();
      }
    }

    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        lane.execute(this::drain);
      }
    }

    private void drain() {
      draining = true;
      try {
        drainOnce();
      } finally {
        draining = false;
        scheduled.set(false);
      }
      if (!done && (cancelled || demand.get() > 0)) {
        schedule();
      }
    }

    private void drainOnce() {
      if (done) {
        return;
      }
      if (cancelled) {
        finish();
        if (invalid) {
          subscriber.onError(new IllegalArgumentException(
              "Reactive Streams §3.9: request must be positive, was " + invalidRequest));
        }
        return;
      }
      try {
        if (cursor == null) {
          cursor = connection.cursor(sql, params);
        }
        int emitted = 0;
        while (demand.get() > 0 && !cancelled && emitted < BATCH) {
          if (!cursor.hasNext()) {
            finish();
            subscriber.onComplete();
            return;
          }
          T item = mapper.apply(cursor.next());
          demand.decrementAndGet();
          emitted++;
          subscriber.onNext(item);
        }
      } catch (Throwable failure) {
        boolean wasCancelled = cancelled;
        finish();
        if (!wasCancelled) {
          subscriber.onError(failure);
        }
      }
    }

    private void finish() {
      done = true;
      if (cursor != null) {
        cursor.close();
      }
    }
  }
}
