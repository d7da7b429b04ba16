package io.asyncengine.asyncio.internal;

import io.asyncengine.error.ConcurrentSessionUseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Detects overlapping operations on one async session: each operation enters with its name and
 * exits when its work has really finished; an operation entering while another is inside fails at
 * once instead of queueing, naming both.
 *
 * <p>One exception: an operation whose caller has given up on it (its future was cancelled or
 * aborted while its work still runs) is {@linkplain #abandon abandoned}. The next operation then
 * takes the session over at once but starts only when {@link Claim#ready()} completes, that is
 * when the abandoned work has stopped; any later operation fails as usual until it exits.
 *
 * <p>Invariant: {@link #current} holds the claim in progress, or the last claim until the work of
 * every claim before it has stopped; a claim leaves it only through its own {@link #exit}.
 *
 * <p>Thread: any; lock-free.
 */
public final class OperationGuard {

  private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

  /** The session held by one operation. */
  public static final class Claim {
    private final String operation;
    private final @Nullable String predecessor;
    private final CompletableFuture<Void> ready;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean abandoned;

    private Claim(String operation, @Nullable Claim after) {
      this.operation = operation;
      this.predecessor = after == null ? null : after.operation;
      this.ready = after == null ? NONE : after.stopped;
    }

    /** Completes when the work of the abandoned operation before this one has stopped (at once when none). */
    public CompletableFuture<Void> ready() {
      return ready;
    }

    /** The abandoned operation this one waits for, or null. */
    public @Nullable String predecessor() {
      return predecessor;
    }

    /** The operation's name. */
    public String operation() {
      return operation;
    }
  }

  private final AtomicReference<@Nullable Claim> current = new AtomicReference<>();

  /**
   * Marks {@code operation} as in progress. When the operation in progress was abandoned, the
   * returned claim is {@linkplain Claim#ready() ready} only once that one's work has stopped.
   *
   * @throws ConcurrentSessionUseException when another operation is in progress and not abandoned
   */
  public Claim enter(String operation) {
    while (true) {
      Claim previous = current.get();
      if (previous != null && !previous.abandoned) {
        throw new ConcurrentSessionUseException("AsyncSession." + operation
            + "() was called while AsyncSession." + previous.operation + "() is still in progress on"
            + " the same session. A session is not for concurrent use: complete each operation before"
            + " starting the next, or give each concurrent task its own session");
      }
      Claim claim = new Claim(operation, previous);
      if (current.compareAndSet(previous, claim)) {
        return claim;
      }
    }
  }

  /**
   * The caller of {@code claim}'s operation gave up on it while its work may still run: the next
   * operation may take over and wait for the work to stop instead of failing.
   */
  public void abandon(Claim claim) {
    claim.abandoned = true;
  }

  /**
   * Marks {@code claim}'s work as finished. The session is free at once, or, when the claim was
   * still waiting for an abandoned predecessor, as soon as that one's work stops.
   */
  public void exit(Claim claim) {
    if (claim.ready.isDone()) {
      release(claim);
    } else {
      claim.abandoned = true; // gave up while waiting: the next operation waits for the predecessor
      claim.ready.whenComplete((value, failure) -> release(claim));
    }
  }

  private void release(Claim claim) {
    current.compareAndSet(claim, null);
    claim.stopped.complete(null);
  }

  /** The operation in progress, or null. */
  public @Nullable String current() {
    Claim claim = current.get();
    return claim == null ? null : claim.operation;
  }
}
