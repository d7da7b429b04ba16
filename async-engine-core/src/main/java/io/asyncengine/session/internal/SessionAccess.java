package io.asyncengine.session.internal;

import io.asyncengine.core.Engine;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import io.asyncengine.session.Session;
import io.asyncengine.session.SessionTransaction;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hands the async facade what {@code Session} keeps out of its public API (the way the JDK's
 * {@code SharedSecrets} does): an async session lends its sync session the connection of the
 * operation in progress instead of letting it borrow one. {@code Session} installs the bridge
 * when its class is initialized.
 */
public final class SessionAccess {

  /** Implemented inside {@code Session}; every method runs on the thread running the session. */
  public interface Bridge {
    /** A session that never borrows a connection itself: the async facade lends it one. */
    Session lentConnections(Engine engine, boolean expireOnCommit, boolean autoflush,
        @Nullable IsolationLevel isolation);

    /** Uses {@code connection} as the session's connection unless it already holds one. */
    void attach(Session session, SqlConnection connection);

    /**
     * An operation ended on the lane (with {@code failure}, or null): the session remembers the
     * transaction it left, to notice at the next {@link #attach} when the engine ended it.
     */
    void operationEnded(Session session, @Nullable Throwable failure);

    /**
     * An operation was cancelled or aborted while it ran ({@code cause} says which): the engine
     * rolls its transaction back, so the session needs {@code rollback()}.
     */
    void interrupted(Session session, Throwable cause);

    /** Whether the session holds an open connection now. */
    boolean hasConnection(Session session);

    /** Flushes when autoflush is on and there is something to flush. */
    void autoflushIfNeeded(Session session);

    /** Maps {@code row} to the entity {@code type} and returns the managed instance. */
    <T> T manageRow(Session session, Class<T> type, Row row);

    /**
     * The session's root transaction as of {@code connection}, the one it holds, or null: unlike
     * the other methods, any thread (it reads only published state).
     */
    @Nullable SessionTransaction transactionOn(Session session, @Nullable SqlConnection connection);

    /** The session's innermost savepoint as of {@code connection}, or null; any thread. */
    @Nullable SessionTransaction nestedTransactionOn(Session session, @Nullable SqlConnection connection);
  }

  private static volatile @Nullable Bridge bridge;

  private SessionAccess() {}

  /**
   * Called once, by {@code Session}'s static initializer.
   *
   * @throws IllegalStateException on a second call
   */
  public static void install(Bridge implementation) {
    if (bridge != null) {
      throw new IllegalStateException("The session bridge is already installed");
    }
    bridge = Objects.requireNonNull(implementation, "implementation");
  }

  /** The bridge, initializing {@code Session} first if no instance exists yet. */
  public static Bridge bridge() {
    Bridge installed = bridge;
    if (installed == null) {
      try {
        Class.forName(Session.class.getName(), true, Session.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      installed = bridge;
    }
    return installed;
  }
}
