package io.asyncengine.core.internal;

import io.asyncengine.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side session id of each physical connection, for dialects whose server keeps running
 * a statement after the engine has given up on its connection (MariaDB: {@code SLEEP} and a
 * stream blocked in "Writing to net" do not notice a dropped client). When the engine aborts or
 * evicts such a connection it hands the session to {@link SessionKiller}, which ends it from
 * another connection.
 *
 * <p>The id is asked once per physical connection ({@link Dialect#sessionIdQuery()}, on its first
 * borrow through the engine) and cached, keyed by the physical connection's identity; an entry is
 * dropped when its session is killed, and entries of connections the pool has closed are swept
 * whenever a new one is added. Nothing is asked, cached or killed for dialects without a session
 * id query (PostgreSQL's cancel request and SQLite's interrupt already stop the work).
 *
 * <p>Thread-safe: connections register from the threads that borrow them; kills are queued from
 * any thread and never block the caller.
 */
public final class ServerSessions {

  private static final Logger LOG = LoggerFactory.getLogger(ServerSessions.class);

  private final Dialect dialect;
  private final Map<PhysicalKey, Long> ids = new ConcurrentHashMap<>();
  private final SessionKiller killer;

  /** Sessions of the connections of {@code pool}, for {@code dialect}. */
  public ServerSessions(Dialect dialect, Pool pool) {
    this.dialect = dialect;
    this.killer = new SessionKiller(dialect, pool::openOutsidePool);
  }

  /**
   * The server session of {@code pooled} (a connection as the pool hands it out), asking the
   * server for its id the first time this physical connection is seen. Runs on the borrowing
   * thread; never throws.
   *
   * @return the session, or {@link Session#NONE} when the dialect needs none or the id is unknown
   */
  public Session register(Connection pooled) {
    String query = dialect.sessionIdQuery();
    if (query == null) {
      return Session.NONE;
    }
    try {
      Connection physical = pooled.unwrap(Connection.class);
      PhysicalKey key = new PhysicalKey(physical);
      Long known = ids.get(key);
      if (known != null) {
        return new Session(key, known);
      }
      long id = ask(pooled, query);
      sweepClosed();
      ids.put(key, id);
      return new Session(key, id);
    } catch (SQLException | RuntimeException e) {
      // Without the id a session can still end by itself; the connection stays usable.
      LOG.debug("Cannot read the server session id of a new connection", e);
      return Session.NONE;
    }
  }

  /**
   * Ends {@code session} on the server from another connection, asynchronously: the engine has
   * given up on its physical connection (aborted, evicted) while a statement may still run there.
   * Callable from any thread; never blocks, never throws. A session that has already ended is
   * harmless to kill again (the server answers "unknown thread").
   */
  public void kill(@Nullable Session session) {
    if (session == null || session == Session.NONE) {
      return;
    }
    ids.remove(session.key, session.id);
    killer.kill(session.id);
  }

  /** Kills still queued or running, for tests and diagnostics. */
  public int pendingKills() {
    return killer.pending();
  }

  private static long ask(Connection pooled, String query) throws SQLException {
    try (Statement statement = pooled.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      if (!rows.next()) {
        throw new SQLException("The session id query returned no row: " + query);
      }
      return rows.getLong(1);
    }
  }

  /** Drops the ids of physical connections the pool has closed (retired, evicted elsewhere). */
  private void sweepClosed() {
    ids.keySet().removeIf(PhysicalKey::isClosed);
  }

  /**
   * The server session behind one physical connection: what {@link #kill} needs after the
   * connection itself is gone. Immutable.
   */
  public static final class Session {

    /** No session to kill: the dialect needs none, or its id could not be read. */
    public static final Session NONE = new Session(null, -1);

    private final @Nullable PhysicalKey key;
    private final long id;

    private Session(@Nullable PhysicalKey key, long id) {
      this.key = key;
      this.id = id;
    }

    /** The server's id of the session (MariaDB's {@code CONNECTION_ID()}); -1 for {@link #NONE}. */
    public long id() {
      return id;
    }

    @Override
    public String toString() {
      return this == NONE ? "Session[none]" : "Session[" + id + "]";
    }
  }
}
