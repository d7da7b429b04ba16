package io.asyncengine.testing;

import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationObserver;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.asyncio.OperationScope;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An {@link OperationObserver} that keeps every observation with the threads it was started,
 * scoped and stopped on. Its scopes make the observation {@link #current()} on the thread, as a
 * tracer makes its span current, and restore what was current before; a stop is recorded when the
 * future completes, which may be just after a caller waiting on it wakes: tests wait with
 * {@link #awaitStopped}.
 */
public final class RecordingObserver implements OperationObserver {

  private static final ThreadLocal<@Nullable Observed> CURRENT = new ThreadLocal<>();

  /** One observed operation and what happened to it. */
  public static final class Observed implements OperationObservation {
    public final ObservedOperation operation;
    public final Thread startThread = Thread.currentThread();
    /** The observation current on the starting thread: this one's parent. */
    public final @Nullable Observed parent = CURRENT.get();
    public final List<Thread> scopeThreads = new CopyOnWriteArrayList<>();
    public final List<Thread> closeThreads = new CopyOnWriteArrayList<>();
    /** The observation current on the lane when this one's scope opened (nothing leaks: the caller's context or none). */
    public final List<@Nullable Observed> currentAtScope = new CopyOnWriteArrayList<>();
    public volatile @Nullable OperationOutcome outcome;
    public volatile @Nullable Throwable failure;
    public volatile int stops;

    Observed(ObservedOperation operation) {
      this.operation = operation;
    }

    @Override
    public OperationScope openScope() {
      scopeThreads.add(Thread.currentThread());
      Observed previous = CURRENT.get();
      currentAtScope.add(previous);
      CURRENT.set(this);
      return () -> {
        closeThreads.add(Thread.currentThread());
        CURRENT.set(previous);
      };
    }

    @Override
    public void stop(OperationOutcome outcome, @Nullable Throwable failure) {
      this.failure = failure;
      this.outcome = outcome;
      stops++;
    }

    public String kind() {
      return operation.kind();
    }

    @Override
    public String toString() {
      return operation.kind() + "(" + outcome + ")";
    }
  }

  private final ConcurrentLinkedQueue<Observed> observed = new ConcurrentLinkedQueue<>();

  @Override
  public OperationObservation start(ObservedOperation operation) {
    Observed started = new Observed(operation);
    observed.add(started);
    return started;
  }

  /** The observation whose scope is open on this thread, or {@code null}. */
  public static @Nullable Observed current() {
    return CURRENT.get();
  }

  /** Makes {@code observation} current on this thread (a caller's own span), or clears it with {@code null}. */
  public static void setCurrent(@Nullable Observed observation) {
    CURRENT.set(observation);
  }

  /** Every observation started so far, in start order. */
  public List<Observed> all() {
    return List.copyOf(observed);
  }

  /** The stopped observations {@code filter} accepts, once there are at least {@code count} (10 s at most). */
  public List<Observed> awaitStopped(int count, Predicate<Observed> filter) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Observed> now = observed.stream().filter(o -> o.outcome != null).filter(filter).toList();
      if (now.size() >= count) {
        return now;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("Observed " + now.size() + " of " + count + " expected; all: " + all());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The first stopped observation of {@code kind}, waiting up to 10 s. */
  public Observed awaitStopped(String kind) {
    return awaitStopped(1, o -> o.kind().equals(kind)).get(0);
  }

  /** Forgets everything so far. */
  public void clear() {
    observed.clear();
  }
}
