package io.asyncengine.asyncio;

import io.asyncengine.core.Params;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OperationObserver} is told about an operation when it starts.
 *
 * @param kind the operation's kind, as an {@code EngineListener} hears it ({@code connection.execute},
 *     {@code session.flush}, ...), or {@link OperationObserver#CONNECTION_ACQUIRE} for a connect
 * @param sql the statement's text, or {@code null} for an operation without one of its own (a
 *     commit, a {@code runSync} block, a session flush, a connect)
 * @param parameters the values bound to {@code sql}: one element per execution (several for
 *     {@code executeMany}), empty when there are none. They are the caller's objects; read, never
 *     change them
 * @param engine the engine's name ({@link AsyncEngine.Builder#name})
 * @param databaseSystem the dialect's name: {@code sqlite}, {@code postgresql}, {@code mariadb},
 *     {@code generic}
 */
public record ObservedOperation(String kind, @Nullable String sql, List<Params> parameters, String engine,
    String databaseSystem) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException when a component other than {@code sql} is null
   */
  public ObservedOperation {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(parameters, "parameters must not be null");
    Objects.requireNonNull(engine, "engine must not be null");
    Objects.requireNonNull(databaseSystem, "databaseSystem must not be null");
  }
}
