package io.asyncengine.core.internal;

import io.asyncengine.dialect.Dialect;
import io.asyncengine.internal.CancelThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends server sessions ({@link Dialect#killSessionSql(long)}) from a connection of its own, opened
 * outside the pool: a pooled one could wait behind the very work being killed.
 *
 * <p>One drainer at a time (a {@link CancelThreads} thread, started when the first kill is queued)
 * runs every queued kill on one connection and closes it when the queue is empty, so a cancel storm costs one
 * extra server connection, not one per kill (MariaDB's {@code max_connections} is 151 by default).
 *
 * <p>Thread-safe; {@link #kill} never blocks.
 */
final class SessionKiller {

  /** Opens a connection that is not taken from the pool. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SessionKiller.class);

  private final Dialect dialect;
  private final ConnectionSource source;
  private final Queue<Long> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger pending = new AtomicInteger();

  SessionKiller(Dialect dialect, ConnectionSource source) {
    this.dialect = dialect;
    this.source = source;
  }

  /** Queues the kill of session {@code id}; returns at once. */
  void kill(long id) {
    pending.incrementAndGet();
    queue.add(id);
    if (draining.compareAndSet(false, true)) {
      CancelThreads.execute(this::drain); // a platform thread: see CancelThreads for why
    }
  }

  /** Kills queued or in progress. */
  int pending() {
    return pending.get();
  }

  private void drain() {
    Connection connection = null;
    try {
      while (true) {
        Long id;
        while ((id = queue.poll()) != null) {
          connection = killOne(connection, id);
          pending.decrementAndGet();
        }
        draining.set(false);
        // A kill queued between the last poll and the reset above must not be stranded.
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
      }
    } finally {
      closeQuietly(connection);
    }
  }

  /** Runs one kill, (re)opening the connection as needed; returns the connection to reuse, or null. */
  private @Nullable Connection killOne(@Nullable Connection connection, long id) {
    String sql = dialect.killSessionSql(id);
    if (sql == null) {
      LOG.warn("The dialect {} reports server sessions but has no killSessionSql; session {} is left to end by itself",
          dialect.name(), id);
      return connection;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (connection == null) {
          connection = source.open();
        }
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
        }
        return connection;
      } catch (SQLException e) {
        if (dialect.isSessionGone(e)) {
          return connection; // it ended by itself meanwhile: nothing left to kill
        }
        // The killing connection itself may have broken (server restart, timeout): retry once on a new one.
        closeQuietly(connection);
        connection = null;
        if (attempt == 1) {
          LOG.warn("Could not end server session {} of an abandoned connection ({}); a statement may still run there until it ends",
              id, e.toString());
        }
      } catch (RuntimeException e) {
        closeQuietly(connection);
        LOG.warn("Could not end server session {} of an abandoned connection", id, e);
        return null;
      }
    }
    return null;
  }

  private static void closeQuietly(@Nullable Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException ignored) {
        // A broken killing connection: nothing else to do with it.
      }
    }
  }
}
