package io.asyncengine.core.internal;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine's prepared-statement caches, one per physical connection, so that a statement
 * prepared in one checkout is reused by the next: a short session (a web request) would otherwise
 * prepare every statement again, and on SQLite re-read its column names too.
 *
 * <p>Statements are prepared on the physical connection, not on the pool's proxy, because the
 * proxy closes the statements made through it when the connection goes back to the pool. A cache
 * is used by one checkout at a time (the pool's hand-over orders the checkouts); caches of
 * connections the pool has closed are dropped when a new physical connection shows up, which is
 * when the pool replaces one. Thread-safe.
 */
public final class StatementCaches {

  private final int capacity;
  private final Map<PhysicalKey, StatementCache> caches = new ConcurrentHashMap<>();

  /** Caches of at most {@code capacity} statements each; 0 disables caching. */
  public StatementCaches(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The cache of the physical connection behind {@code pooled} (a connection as the pool hands it
   * out); with caching disabled, an empty cache that prepares on {@code pooled} and keeps nothing.
   * Runs on the borrowing thread; never throws.
   */
  public StatementCache of(Connection pooled) {
    if (capacity == 0) {
      return new StatementCache(pooled, 0);
    }
    PhysicalKey key = PhysicalKey.of(pooled);
    StatementCache known = caches.get(key);
    if (known != null) {
      return known;
    }
    caches.keySet().removeIf(PhysicalKey::isClosed);
    return caches.computeIfAbsent(key, k -> new StatementCache(k.connection(), capacity));
  }

  /**
   * Drops {@code cache}: its physical connection is leaving the pool for good. Without this, the
   * entry would stay until the next new connection purges closed ones, and the pool closes an
   * evicted connection later, on a thread of its own. Never throws.
   */
  public void forget(StatementCache cache) {
    caches.values().remove(cache);
  }

  /** The number of physical connections with a cache (for tests). */
  public int size() {
    return caches.size();
  }
}
