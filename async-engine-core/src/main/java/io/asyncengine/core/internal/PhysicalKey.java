package io.asyncengine.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A physical connection (what a pool's proxy unwraps to) compared by identity, as a map key:
 * drivers may define {@code equals}, and the engine's per-connection maps must not use it.
 */
final class PhysicalKey {

  private final Connection physical;

  PhysicalKey(Connection physical) {
    this.physical = physical;
  }

  /** The physical connection behind {@code pooled}, or {@code pooled} itself when it does not unwrap. */
  static PhysicalKey of(Connection pooled) {
    try {
      return new PhysicalKey(pooled.unwrap(Connection.class));
    } catch (SQLException | RuntimeException e) {
      return new PhysicalKey(pooled);
    }
  }

  Connection connection() {
    return physical;
  }

  /** Whether the connection is closed (or cannot say): its entries can go. */
  boolean isClosed() {
    try {
      return physical.isClosed();
    } catch (SQLException | RuntimeException e) {
      return true;
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PhysicalKey key && key.physical == physical;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(physical);
  }
}
