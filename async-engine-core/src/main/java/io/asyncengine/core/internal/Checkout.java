package io.asyncengine.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One checkout of a pooled connection: the proxy the pool handed out, the statement cache and the
 * server session of the physical connection behind it, and the ways the checkout ends: given back
 * to the pool, evicted (the connection cannot be trusted), or aborted (closed at once, with no
 * draining of unread rows). Evicting or aborting also ends the server session, since a statement
 * may still run there.
 *
 * <p>Not thread-safe: used on the connection's thread; the server session is killed asynchronously.
 */
public final class Checkout {

  private static final Logger LOG = LoggerFactory.getLogger(Checkout.class);

  private final Connection jdbc;
  private final Pool pool;
  private final ServerSessions sessions;
  private final ServerSessions.Session session;
  private final StatementCaches caches;
  private final StatementCache statements;

  /** The checkout of {@code jdbc} from {@code pool}; registers its server session with {@code sessions}. */
  public Checkout(Connection jdbc, Pool pool, ServerSessions sessions, StatementCaches caches) {
    this.jdbc = jdbc;
    this.pool = pool;
    this.sessions = sessions;
    this.session = sessions.register(jdbc);
    this.caches = caches;
    this.statements = caches.of(jdbc);
  }

  /** The connection as the pool handed it out. */
  public Connection jdbc() {
    return jdbc;
  }

  /** The prepared statements of the physical connection, kept across checkouts. */
  public StatementCache statements() {
    return statements;
  }

  /**
   * Ends the server session from another connection, asynchronously (MariaDB keeps running
   * {@code SLEEP}, or a stream blocked writing to the dropped socket, after the client is gone). A
   * no-op for dialects without sessions. Never throws.
   */
  public void killSession() {
    sessions.kill(session);
  }

  /**
   * Takes the physical connection out of the pool for good and closes the checkout: its cached
   * statements are closed first. Call {@link #killSession()} before, where a statement may still run.
   */
  public void evict() {
    statements.clear();
    caches.forget(statements);
    pool.evict(jdbc);
    giveBack();
  }

  /** Kills the session, closes the socket at once (no draining of unread rows) and evicts the connection. */
  public void abort() {
    caches.forget(statements);
    killSession();
    try {
      jdbc.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Aborting a connection failed", e);
    }
    pool.evict(jdbc);
    giveBack();
  }

  /**
   * Kills the server session and closes the socket at once, from a thread other than the one using
   * the connection, so that a call blocked on it fails; that thread then evicts the connection. Never
   * throws.
   */
  public void cutOff() {
    killSession();
    try {
      jdbc.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Cutting off a connection failed", e);
    }
  }

  /** Closes the checkout: the pool takes the connection back (or drops it, once evicted). Never throws. */
  public void giveBack() {
    try {
      jdbc.close();
    } catch (Exception ignored) {
      // Cleanup after a failure or on close; the pool deals with a broken connection.
    }
  }

  /** Whether the connection is open and answers a validation within 2 s. Blocking; never throws. */
  public boolean isUsable() {
    try {
      return !jdbc.isClosed() && jdbc.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }
}
