package io.asyncengine.asyncio.internal;

import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import io.asyncengine.concurrent.internal.Lane;
import io.asyncengine.concurrent.internal.Scopes;
import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.core.internal.CoreAccess;
import io.asyncengine.core.internal.ItemCursor;
import io.asyncengine.core.internal.RowReading;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.internal.CancelThreads;
import io.asyncengine.internal.Futures;
import io.asyncengine.result.Row;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link Flow.Publisher} of the async facade: a query's rows over a server-side cursor,
 * for connections and sessions alike (a {@link StreamSource} says where it runs and what it
 * claims). Cold: each subscription runs the query again.
 *
 * <p><b>A subscription is one operation of its connection</b>, made the way the connection makes
 * every other operation: linked to the task-group scope of the thread that subscribes, then
 * admitted by the connection (a doomed connection, operations in flight, the engine's disposal,
 * the view's {@code timeout} counted from subscription to the end of the stream). Its work runs in
 * steps on the connection's lane, each a lane task with the hooks of every operation: the first
 * step runs the source's opener (the session's autoflush) and opens the cursor; every step reads
 * and emits at most {@value #BATCH} rows and no more than requested, then gives the lane back so
 * that other operations of the connection are not starved.
 *
 * <p>It ends exactly once (the first to claim the end owns it):
 * <ul>
 *   <li>By itself, inside a step: the rows run out ({@code onComplete}, as soon as the cursor is
 *       known to be exhausted: right after the last requested row when that was the last row, not at
 *       the next request); opening, reading or mapping
 *       fails ({@code onError}); a non-positive request ({@code onError} with
 *       {@link IllegalArgumentException}); the subscriber cancels from inside {@code onNext}
 *       (nothing). The cursor is closed cleanly; closed before its last row, the dialect first stops
 *       the query on the server, so closing never reads the rest of a large result.
 *   <li>Aborted: a deadline, the view's timeout, a task-group scope, the engine's disposal or a
 *       doomed connection completes the operation with its cause. Never left half-done: a step
 *       running is stopped as any operation is (its statement cancelled from a platform thread,
 *       repeatedly, until the step returns; then rollback, or eviction when the cursor was cut off),
 *       a step queued never runs, and a clean-up queued on the lane behind them recovers a cursor
 *       left open between two steps (eviction) and signals {@code onError} with the cause.
 *   <li>Cancelled by the subscriber from another thread: like closing a blocking stream early. A
 *       step ends it on the lane (the step running or queued, at its next row, or one queued for
 *       the purpose), closing the cursor as above and signalling nothing; the connection and its
 *       transaction stay usable. A fetch under way is cancelled from a platform thread, again until
 *       the step returns (only while it runs, so never a later operation's statement); a fetch so
 *       cut off rolls back the transaction the stream ran in, as after any cancelled statement.
 *       Cancelled before its connection was claimed, it ends as aborted.
 * </ul>
 * The source's claim is released when the stream ends, before its last signal; after an abort or a
 * cancel, once the clean-up is queued, so a later operation cannot overtake it on the lane.
 *
 * <p>Whoever ends the subscription reports it, once, to the engine's listeners (when installed) as
 * one operation of the source's kind, before the subscriber's last signal; a step's failure reaches
 * {@code onError} through the engine's translation of its own exceptions.
 *
 * <p>Threads: {@code request} and {@code cancel} from any thread; {@code onSubscribe} on the
 * subscriber's thread, inside {@code subscribe}; {@code onNext}, {@code onComplete} and
 * {@code onError} on the lane, one at a time (never two steps at once, and the clean-up runs after
 * the last step). Two exceptions, when no step can run: a failure to reach the connection (a closed
 * or busy session, no connection borrowed) is signalled on the thread that finds it, and so is an
 * abort when the engine's executor has shut down and the lane takes no more work.
 */
public final class CursorPublisher<T> implements Flow.Publisher<T> {

  static final int BATCH = 256;

  private final StreamSource source;
  private final String sql;
  private final Supplier<Params> params;
  private final RowReading<?> reading;
  private final @Nullable Function<Object, T> mapper;

  /**
   * A publisher of {@code sql}'s rows run where {@code source} says, each row read into a
   * {@code Row} and mapped by {@code mapper} on the lane as it is emitted.
   *
   * @param params the values, bound in the first step of each subscription, so a value that cannot
   *     be bound fails the stream through {@code onError}
   */
  @SuppressWarnings("unchecked")
  public CursorPublisher(StreamSource source, String sql, Supplier<Params> params, Function<Row, T> mapper) {
    this.source = source;
    this.sql = sql;
    this.params = params;
    this.reading = RowReading.rows();
    this.mapper = (Function<Object, T>) (Function<?, T>) mapper;
  }

  /**
   * A publisher of {@code sql}'s rows read into items by {@code reading}'s reader on the lane (a
   * record read with typed getters, a caller's {@code ResultSetMapper}), with no {@code Row} per row.
   * The cursor may read up to 64 rows ahead of the emitted ones (never more than the subscription
   * then emits, apart from those).
   */
  public CursorPublisher(StreamSource source, String sql, Supplier<Params> params, RowReading<T> reading) {
    this.source = source;
    this.sql = sql;
    this.params = params;
    this.reading = reading;
    this.mapper = null;
  }

  /** Starts a subscription; see the class comment. Runs {@code onSubscribe} on the calling thread. */
  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber"); // Reactive Streams §1.9
    }
    new Subscription(subscriber).start();
  }

  /** How a step ends the stream. */
  private enum End { COMPLETED, FAILED, INVALID_REQUEST, CANCELLED }

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final Scopes.@Nullable Scope scope = Scopes.current(); // the subscriber's thread, at subscribe
    private final AtomicLong demand = new AtomicLong();
    /** A step is queued or running; only its body resets it, so steps never overlap. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Set once, by whoever ends the stream: a step, the abort listener, or a failed claim. */
    private final AtomicBoolean ended = new AtomicBoolean();
    // Published in this order before the first step: operation, then host.
    private volatile @Nullable CompletableFuture<Void> operation;
    private volatile @Nullable StreamHost host;
    private volatile @Nullable CompletableFuture<Void> step;
    private volatile @Nullable Throwable abortCause;
    private volatile boolean cancelled;
    private volatile boolean invalid;
    private volatile long invalidRequest;
    private volatile @Nullable Thread stepThread; // the thread inside a step body, to recognise a cancel from onNext
    private volatile boolean cleanupRan;
    /** Guards {@link #inStep}: a stop of a fetch (after a cancel) runs only while a step runs. */
    private final ReentrantLock stepLock = new ReentrantLock();
    private boolean inStep; // guarded by stepLock
    private @Nullable ItemCursor<?> cursor; // lane-confined
    /** The subscription measured for the engine's listeners and observer; {@code null}: none, nothing timed. */
    private final @Nullable OperationProbe probe = begin();
    /** A step's body: the drain, inside the subscription's observation scope when it is observed. */
    private final Runnable stepBody = probe != null && probe.observed() ? this::observedDrain : this::drain;

    Subscription(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    /** Begins the measurement of this subscription, on the subscriber's thread. */
    private @Nullable OperationProbe begin() {
      EngineEvents events = source.events();
      return events == null ? null : events.begin(source.kind(), sql, events.observes() ? params.get() : null);
    }

    /** Reports the subscription's end to the listeners and observer, if any; called once, by whoever ends it. */
    private void reportEnd(OperationOutcome outcome) {
      reportEnd(outcome, null);
    }

    private void reportEnd(OperationOutcome outcome, @Nullable Throwable failure) {
      if (probe != null) {
        probe.end(outcome, failure);
      }
    }

    private void observedDrain() {
      try (OperationScope scope = probe.openScope()) {
        drain();
      }
    }

    void start() {
      subscriber.onSubscribe(this);
      if (cancelled) {
        ended.set(true); // cancelled inside onSubscribe: nothing claimed, nothing to end
        reportEnd(OperationOutcome.CANCELLED);
        return;
      }
      CompletableFuture<StreamHost> claimed;
      try {
        claimed = source.claim();
      } catch (RuntimeException e) {
        failUnclaimed(e);
        return;
      }
      claimed.whenComplete(this::claimed);
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        if (!invalid) {
          invalidRequest = n;
          invalid = true;
        }
      } else {
        demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
      }
      schedule();
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (Thread.currentThread() == stepThread) {
        return; // from onNext, inside a step: the step ends the stream cleanly when onNext returns
      }
      if (host == null || ended.get()) {
        return; // no operation yet (claimed() sees the flag), or nothing left to stop
      }
      // A step ends the stream on the lane: the one running or queued sees the flag at its next
      // row, or this schedules one. A fetch under way is stopped so that the step gets there soon.
      schedule();
      CancelThreads.execute(this::stopFetchUntilEnded);
    }

    /**
     * After a cancel from another thread, on a cancel thread: cancels the statement of the step
     * running now (a fetch that may take long: a slow query, a stalled server), again with a growing
     * pause, until the stream has ended. Under {@link #stepLock} and only while a step runs, so it
     * never reaches a later operation of the connection.
     */
    private void stopFetchUntilEnded() {
      long pauseMillis = 20; // a step streaming rows sees the flag within a row: most cancels need no stop
      CompletableFuture<Void> op = operation;
      while (!ended.get() && !op.isDone()) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          return;
        }
        pauseMillis = Math.min(pauseMillis * 2, 250);
        stepLock.lock();
        try {
          if (inStep && !ended.get()) {
            host.connection().cancelStatement();
          }
        } finally {
          stepLock.unlock();
        }
      }
    }

    /** The source has a connection for us (or failed to get one): admit the operation, start. */
    private void claimed(@Nullable StreamHost claimedHost, @Nullable Throwable failure) {
      if (failure != null) {
        failUnclaimed(Futures.unwrap(failure));
        return;
      }
      CompletableFuture<Void> op = new CompletableFuture<>();
      operation = op;
      host = claimedHost;
      op.whenComplete((ignored, abort) -> {
        if (abort != null) {
          aborted(Futures.unwrap(abort));
        }
      });
      if (scope != null) {
        scope.onCancel(() -> op.cancel(true), op);
      }
      claimedHost.admit(op);
      if (cancelled) {
        op.cancel(true);
      }
      schedule();
    }

    private void failUnclaimed(Throwable failure) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      reportEnd(cancelled ? OperationOutcome.CANCELLED : EngineEvents.outcome(failure), failure);
      if (!cancelled) {
        subscriber.onError(failure);
      }
    }

    private void schedule() {
      StreamHost current = host;
      if (current == null || ended.get() || !scheduled.compareAndSet(false, true)) {
        return;
      }
      CompletableFuture<Void> next = current.step(stepBody);
      step = next;
      Throwable cause = abortCause;
      if (cause != null) {
        Lane.abort(next, cause); // aborted while this step was being queued: aborted() may have missed it
      }
      next.whenComplete((ignored, failure) -> {
        if (failure != null) {
          // Stopped by an abort (the operation is done already), or refused by a shut-down lane.
          Lane.abort(operation, Futures.unwrap(failure));
        }
      });
    }

    /** The operation was completed from outside: a cancel, a deadline, a timeout, the disposal. */
    private void aborted(Throwable cause) {
      if (!ended.compareAndSet(false, true)) {
        return; // a step ended the stream itself first
      }
      reportEnd(EngineEvents.outcome(cause), cause);
      abortCause = cause;
      CompletableFuture<Void> running = step;
      if (running != null) {
        Lane.abort(running, cause);
      }
      boolean byCaller = cancelled;
      host.cleanup(() -> cleanUp(cause, byCaller)).whenComplete((ignored, refused) -> {
        if (refused != null && !cleanupRan && !cancelled) {
          subscriber.onError(cause); // the lane takes no more work: no step can run any more
        }
      });
      source.release();
    }

    /** On the lane, after the stopped step (and its recovery) and before anything queued later. */
    private void cleanUp(Throwable cause, boolean byCaller) {
      cleanupRan = true;
      ItemCursor<?> open = cursor;
      if (open != null && !open.isClosed() && !host.connection().isClosed()) {
        if (byCaller) {
          open.close();
        } else {
          host.recover();
        }
      }
      if (!cancelled) {
        subscriber.onError(cause);
      }
    }

    /** One step, on the lane. */
    private void drain() {
      stepThread = Thread.currentThread();
      stepLock.lock();
      inStep = true;
      stepLock.unlock();
      try {
        if (!ended.get()) {
          drainOnce();
        }
      } finally {
        stepLock.lock(); // waits for a fetch stop under way: it must not outlive the step
        inStep = false;
        stepLock.unlock();
        stepThread = null;
        scheduled.set(false);
      }
      if (!ended.get() && (demand.get() > 0 || invalid || cancelled)) {
        schedule();
      }
    }

    private void drainOnce() {
      if (invalid) {
        end(End.INVALID_REQUEST, null);
        return;
      }
      if (cancelled) {
        end(End.CANCELLED, null);
        return;
      }
      try {
        if (cursor == null) {
          SqlConnection connection = host.connection();
          source.beforeOpen(connection);
          cursor = CoreAccess.cursor(connection, sql, params.get(), reading);
        } else if (cursor.isClosed()) {
          throw new ResourceClosedException("The stream's cursor was closed before its last row: its connection was closed");
        }
        // Demand is taken from the counter in bulk rather than once per row (an atomic update per
        // row costs as much as reading the row): "granted" is what the counter held when last read,
        // "unsettled" what was emitted since and not yet subtracted. A request from onNext is seen
        // when the granted rows are used up.
        long granted = demand.get();
        long unsettled = 0;
        int emitted = 0;
        while (emitted < BATCH && !ended.get() && !cancelled && !invalid) {
          if (unsettled == granted) {
            granted = demand.addAndGet(-unsettled);
            unsettled = 0;
            if (granted <= 0) {
              break;
            }
          }
          if (!cursor.hasNext()) {
            end(End.COMPLETED, null);
            return;
          }
          Object next = cursor.next();
          @SuppressWarnings("unchecked")
          T item = mapper == null ? (T) next : mapper.apply(next);
          if (item == null) {
            // Flow forbids null elements: a NULL scalar ends the stream with a reason, not an NPE downstream.
            throw new InvalidRequestException("A streamed row mapped to null (a NULL first column in streamScalars,"
                + " or a ResultSetMapper that returned null): a Flow.Publisher cannot emit null; filter NULLs in"
                + " the query (WHERE col IS NOT NULL), use COALESCE, or stream() the rows and read them with Row.get");
          }
          unsettled++;
          emitted++;
          subscriber.onNext(item);
        }
        demand.addAndGet(-unsettled);
        if (emitted > 0 && demand.get() == 0 && !ended.get() && !cancelled && !invalid && !cursor.hasNext()) {
          // Exactly the rows there are were requested: complete now rather than at the next request.
          // The cursor reads ahead, so this costs a fetch only when it has no row left in hand.
          end(End.COMPLETED, null);
          return;
        }
      } catch (Throwable failure) {
        end(End.FAILED, host.translated(failure));
        return;
      }
      if (invalid) {
        end(End.INVALID_REQUEST, null);
      } else if (cancelled) {
        end(End.CANCELLED, null);
      }
    }

    /** Ends the stream from inside a step, unless an abort got there first (its clean-up settles it). */
    private void end(End how, @Nullable Throwable failure) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      boolean cutOff = cursor != null && cursor.fetchFailed(); // possibly with rows of it still in hand
      if (cursor != null) {
        cursor.close(); // a no-op after the last row or a failed read
      }
      if (cancelled && (how == End.FAILED || cutOff)) {
        host.recover(); // the cancel cut off a fetch: roll back, as after any cancelled statement
      }
      operation.complete(null);
      source.release();
      reportEnd(switch (how) {
        case COMPLETED -> OperationOutcome.SUCCESS;
        case FAILED -> EngineEvents.outcome(failure);
        case INVALID_REQUEST -> OperationOutcome.ERROR;
        case CANCELLED -> OperationOutcome.CANCELLED;
      }, failure);
      if (cancelled) {
        return; // the subscriber has gone: no more signals
      }
      switch (how) {
        case COMPLETED -> subscriber.onComplete();
        case FAILED -> subscriber.onError(failure);
        case INVALID_REQUEST -> subscriber.onError(new IllegalArgumentException(
            "Reactive Streams §3.9: request must be positive, was " + invalidRequest));
        case CANCELLED -> { }
      }
    }
  }
}
