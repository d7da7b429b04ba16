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
   * @param parameters a printable description of the bound parameters; empty when echo is on and
   *     the operation has none to show (commit, a batch); {@code null} when data values must not be
   *     shown (echo off), in which case the message should also leave out the values a driver
   *     repeats in its own message (the engine's default does; keep {@code ex} as the cause)
   * @param ex the driver's exception
   * @return the exception to throw; never {@code null}
   */
  RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters, SQLException ex);

  /**
   * Translates an exception the engine raised itself, with no driver error behind it, as the
   * async facade passes it to the caller. By default it returns {@code e}: the engine's own types.
   *
   * <p>The async facade calls it, once per failure, for:
   * <ul>
   *   <li>a connect that fails: the admission gate's or the pool's {@link PoolTimeoutException},
   *       and the pool's other refusals ({@link OperationalException}, {@link ResourceClosedException});
   *   <li>an {@link AsyncEngineException} thrown by the work an operation runs on a connection's
   *       lane: the statements of the async connection and session, their transactions, and
   *       {@code runSync} blocks ({@link StaleObjectException} from a flush, {@link NoResultException}
   *       from {@code getOne}, {@link MultipleResultsException} and {@link NoResultException} from
   *       {@code Result.one()} inside a block, {@link PendingRollbackException},
   *       {@link ResourceClosedException} of a closed connection, {@link ParameterBindingException},
   *       {@link InvalidRequestException}, {@link MappingException}); a stream's failure before
   *       it reaches {@code onError} too;
   *   <li>the {@link StatementTimeoutException} of an async connection's per-operation
   *       {@code timeout(Duration)}.
   * </ul>
   * Database errors never come here twice: {@link #translate} has already turned them into what the
   * caller sees. With a {@code translate} that returns {@link AsyncEngineException}s (the dialect's
   * default does), those come here as well when they fail a lane operation: return what needs no
   * mapping unchanged.
   *
   * <p>Not covered, because no engine code stands between the exception and the caller: the
   * synchronous API ({@code Engine}, {@code SqlConnection}, {@code Session} used directly);
   * {@code Result.one()} and its kin called by application code on a buffered result, on its own
   * thread; a task group's deadline ({@code TaskGroup} belongs to no engine); the engine's
   * disposal ({@link ResourceClosedException} for refused or aborted work) and an async session's
   * refusals before any work runs (closed, or {@link ConcurrentSessionUseException}); and
   * cancellation, which is not an engine exception.
   *
   * <p>Thread: the thread on which the failure arises: an engine lane thread, the engine's timer
   * thread (timeouts), or the thread that borrows connections. Must be quick, must not block, and
   * must not throw; an exception it throws fails the operation instead of {@code e}.
   *
   * @param e the engine's exception
   * @return the exception the caller sees; never {@code null}
   */
  default RuntimeException translateEngineException(AsyncEngineException e) {
    return e;
  }
}
