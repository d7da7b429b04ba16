package io.asyncengine.asyncio;

import io.asyncengine.internal.Futures;
import io.asyncengine.core.Params;
import io.asyncengine.result.Row;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The publisher behind {@link AsyncSession#stream}: on subscription it claims the session (the
 * misuse guard), autoflushes, then subscribes to the session connection's own cursor publisher,
 * mapping rows on the lane (so managed entities enter the identity map on the session's thread of
 * control). Demand and cancel arriving before the cursor publisher is ready are replayed to it.
 *
 * <p>Thread: {@code request}/{@code cancel} from any thread; signals on the connection's lane.
 */
final class SessionPublisher<T> implements Flow.Publisher<T> {

  private final AsyncSession session;
  private final String sql;
  private final Params params;
  private final Function<Row, T> mapper;

  SessionPublisher(AsyncSession session, String sql, Params params, Function<Row, T> mapper) {
    this.session = session;
    this.sql = sql;
    this.params = params;
    this.mapper = mapper;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber");
    }
    Relay relay = new Relay(subscriber);
    subscriber.onSubscribe(relay);
    try {
      session.openStream().whenComplete((connection, failure) -> {
        if (failure != null) {
          relay.fail(Futures.unwrap(failure), false);
        } else {
          connection.stream(sql, params).subscribe(relay);
        }
      });
    } catch (RuntimeException e) {
      relay.fail(e, false); // closed or concurrent use: the guard was not taken
    }
  }

  /** Subscription to the caller and subscriber to the cursor publisher, in one. */
  private final class Relay implements Flow.Subscription, Flow.Subscriber<Row> {
    private final Flow.Subscriber<? super T> downstream;
    private final AtomicBoolean ended = new AtomicBoolean();
    private long pendingDemand; // guarded by this, until upstream arrives
    private boolean pendingCancel;
    private volatile Flow.Subscription upstream;

    Relay(Flow.Subscriber<? super T> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void request(long n) {
      Flow.Subscription up;
      synchronized (this) {
        up = upstream;
        if (up == null) {
          if (n <= 0 || pendingDemand < 0) {
            pendingDemand = Math.min(pendingDemand, n); // an invalid request is replayed as is
          } else {
            pendingDemand = pendingDemand + n < 0 ? Long.MAX_VALUE : pendingDemand + n;
          }
          return;
        }
      }
      up.request(n);
    }

    @Override
    public void cancel() {
      Flow.Subscription up;
      synchronized (this) {
        up = upstream;
        if (up == null) {
          pendingCancel = true;
          return;
        }
      }
      up.cancel();
      end();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      long demand;
      boolean cancelled;
      synchronized (this) {
        upstream = subscription;
        demand = pendingDemand;
        cancelled = pendingCancel;
      }
      if (cancelled) {
        subscription.cancel();
        end();
      } else if (demand != 0) {
        subscription.request(demand);
      }
    }

    @Override
    public void onNext(Row row) {
      T item;
      try {
        item = mapper.apply(row);
      } catch (RuntimeException e) {
        Flow.Subscription up = upstream;
        if (up != null) {
          up.cancel();
        }
        fail(e, true);
        return;
      }
      downstream.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      fail(throwable, true);
    }

    @Override
    public void onComplete() {
      if (end()) {
        downstream.onComplete();
      }
    }

    void fail(Throwable failure, boolean guardTaken) {
      if (guardTaken ? end() : ended.compareAndSet(false, true)) {
        downstream.onError(failure);
      }
    }

    /** Releases the session exactly once; true for the first caller. */
    private boolean end() {
      if (ended.compareAndSet(false, true)) {
        session.streamEnded();
        return true;
      }
      return false;
    }
  }
}
