package io.asyncengine.core;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of an engine's connection pool (SQLAlchemy's {@code pool.status()}), read from
 * HikariCP's pool statistics so that callers never need the {@code HikariDataSource} itself. The
 * numbers are read one after another without a lock, so under load they need not add up exactly.
 *
 * <p>For a wrapped {@code DataSource} that is not HikariCP the pool's own numbers are unknown:
 * {@link #checkedOut()}, {@link #idle()}, {@link #total()} and {@link #waiting()} are then
 * {@code -1} and {@link #known()} is false.
 *
 * @param maxSize the most connections the pool hands out at once
 * @param checkedOut connections handed out and not yet returned (HikariCP's active connections)
 * @param idle connections in the pool, ready to be handed out
 * @param total connections the pool holds, checked out or idle
 * @param waiting threads blocked inside the pool waiting for a connection
 * @param gate the admission gate in front of the pool, for an {@code AsyncEngine}; {@code null}
 *     for a synchronous {@link Engine}, which has none
 */
public record PoolStatus(int maxSize, int checkedOut, int idle, int total, int waiting, @Nullable Gate gate) {

  /**
   * A snapshot of an async engine's admission gate: callers wait here, in FIFO order, before they
   * reach the pool.
   *
   * @param capacity connections that may be out at once ({@code maxConcurrency})
   * @param inUse permits held: connections admitted and not yet closed
   * @param waiting callers queued for a permit
   */
  public record Gate(int capacity, int inUse, int waiting) {}

  /** Whether the pool's numbers are known (the pool is HikariCP). */
  public boolean known() {
    return checkedOut >= 0;
  }

  /** This snapshot with {@code gate} as the admission gate's numbers. */
  public PoolStatus withGate(Gate gate) {
    return new PoolStatus(maxSize, checkedOut, idle, total, waiting, gate);
  }
}
