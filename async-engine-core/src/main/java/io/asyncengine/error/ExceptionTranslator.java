package io.asyncengine.error;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a driver's {@link SQLException} into the exception the caller sees.
 *
 * <p>The engine's default translates into the {@link AsyncEngineException} hierarchy using the
 * dialect's knowledge of SQLStates and vendor codes; the Spring starter plugs in one that raises
 * Spring's {@code DataAccessException} types instead. Implementations must be thread-safe and must
 * not throw: they return the exception to throw.
 *
 * <p>Thread: called on the thread that ran the statement (an engine lane thread, or the caller's
 * thread for the synchronous API).
 */
@FunctionalInterface
public interface ExceptionTranslator {

  /**
   * Translates {@code ex}.
   *
   * @param operation what the engine was doing, for the message ("execute", "commit", ...)
   * @param sql the SQL being run, or {@code null} when none (commit, connect)
   * @param parameters a printable description of the bound parameters, or {@code null} when they
   *     must not be shown (echo off)
   * @param ex the driver's exception
   * @return the exception to throw; never {@code null}
   */
  RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters, SQLException ex);
}
