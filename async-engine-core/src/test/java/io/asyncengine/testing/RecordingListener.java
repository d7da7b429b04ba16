package io.asyncengine.testing;

import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.asyncio.OperationOutcome;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link EngineListener} that keeps everything it hears. A listener is called when an
 * operation's future completes, which may be just after a caller waiting on that future wakes:
 * tests wait for what they expect with {@link #awaitOperations} and {@link #awaitAcquisitions}.
 */
public final class RecordingListener implements EngineListener {

  /** One {@code operationCompleted} call. */
  public record Operation(String kind, OperationOutcome outcome, long nanos) {}

  /** One {@code connectionAcquired} call. */
  public record Acquisition(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {}

  private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Acquisition> acquisitions = new ConcurrentLinkedQueue<>();

  @Override
  public void operationCompleted(String kind, OperationOutcome outcome, long nanos) {
    operations.add(new Operation(kind, outcome, nanos));
  }

  @Override
  public void connectionAcquired(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {
    acquisitions.add(new Acquisition(gateWaitNanos, poolNanos, outcome));
  }

  /** Every operation heard so far, in the order heard. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** Every connect heard so far, in the order heard. */
  public List<Acquisition> acquisitions() {
    return List.copyOf(acquisitions);
  }

  /** The operations heard so far that {@code filter} accepts, once there are at least {@code count} (10 s at most). */
  public List<Operation> awaitOperations(int count, Predicate<Operation> filter) {
    return awaitCount(() -> operations().stream().filter(filter).toList(), count);
  }

  /** The first operation of {@code kind}, waiting for it up to 10 s. */
  public Operation awaitOperation(String kind) {
    return awaitOperations(1, operation -> operation.kind().equals(kind)).get(0);
  }

  /** The connects heard so far, once there are at least {@code count} (10 s at most). */
  public List<Acquisition> awaitAcquisitions(int count) {
    return awaitCount(this::acquisitions, count);
  }

  /** Forgets everything heard so far. */
  public void clear() {
    operations.clear();
    acquisitions.clear();
  }

  private static <T> List<T> awaitCount(java.util.function.Supplier<List<T>> heard, int count) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<T> now = heard.get();
    while (now.size() < count && System.nanoTime() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      now = heard.get();
    }
    if (now.size() < count) {
      throw new AssertionError("Heard " + now.size() + " of " + count + " expected: " + now);
    }
    return now;
  }
}
