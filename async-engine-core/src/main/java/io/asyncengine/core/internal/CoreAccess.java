package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import io.asyncengine.core.SqlConnection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hands the async facade what {@code SqlConnection} keeps out of its public API (the way the JDK's
 * {@code SharedSecrets} does): {@code SqlConnection} installs the bridge when its class is
 * initialized, which has happened by the time anyone holds an instance.
 */
public final class CoreAccess {

  /** Implemented inside {@code SqlConnection}. */
  public interface Bridge {
    /** The operation controls of {@code connection}. */
    OperationControl control(SqlConnection connection);

    /**
     * Opens a cursor over {@code sql} on {@code connection}, its rows read into items by
     * {@code reading}'s reader; {@code SqlConnection.cursor}'s contract. On the connection's thread.
     */
    <T> ItemCursor<T> cursor(SqlConnection connection, String sql, Params params, RowReading<T> reading);
  }

  private static volatile @Nullable Bridge bridge;

  private CoreAccess() {}

  /**
   * Called once, by {@code SqlConnection}'s static initializer.
   *
   * @throws IllegalStateException on a second call
   */
  public static void install(Bridge implementation) {
    if (bridge != null) {
      throw new IllegalStateException("The core bridge is already installed");
    }
    bridge = Objects.requireNonNull(implementation, "implementation");
  }

  /** The operation controls of {@code connection}. Any thread. */
  public static OperationControl control(SqlConnection connection) {
    return bridge.control(connection);
  }

  /** See {@link Bridge#cursor}. On the connection's thread. */
  public static <T> ItemCursor<T> cursor(SqlConnection connection, String sql, Params params, RowReading<T> reading) {
    return bridge.cursor(connection, sql, params, reading);
  }
}
