package io.asyncengine.spring.jdbc;

import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.MultipleResultsException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.error.StatementTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Spring's {@code DataAccessException} for the exceptions the engine raises itself, without a
 * driver error behind them: pool timeout, stale version, no row, several rows, statement timeout.
 *
 * <p>{@link SpringExceptionTranslator#translateEngineException} applies this mapping wherever the
 * async facade raises or passes on such an exception, so futures of the starter's engine fail with
 * the Spring type already. {@link #translate} is for what the engine cannot reach: {@code Result.one()}
 * called by application code on a buffered result, a {@code TaskGroup}'s deadline, the synchronous
 * API, or an engine built without the starter's translator. Use it where a failure is handled:
 * {@code future.exceptionally(e -> { throw EngineExceptions.translate(e); })}.
 */
public final class EngineExceptions {

  private EngineExceptions() {}

  /**
   * The Spring equivalent of {@code failure} (unwrapped from {@link CompletionException} and
   * {@link ExecutionException}); any other exception is returned unwrapped and unchanged, an
   * {@code Error} or checked exception inside a {@link CompletionException}. Never blocks; any thread.
   */
  public static RuntimeException translate(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return switch (cause) {
      case AsyncEngineException e -> toSpring(e);
      case RuntimeException e -> e;
      default -> new CompletionException(cause);
    };
  }

  /**
   * The Spring equivalent of the engine's own exception {@code e}, or {@code e} itself when Spring
   * has none. The engine's exception stays in the cause chain, so that an {@code EngineListener}
   * still tells a timeout from an error. Never blocks; any thread.
   */
  static RuntimeException toSpring(AsyncEngineException e) {
    return switch (e) {
      // CannotGetJdbcConnectionException takes an SQLException; the engine's exception (and the
      // pool's, its cause) stays behind it.
      case PoolTimeoutException timeout -> new CannotGetJdbcConnectionException(timeout.getMessage(),
          new SQLTransientConnectionException(timeout.getMessage(), "08001", timeout));
      case StaleObjectException stale -> new OptimisticLockingFailureException(stale.getMessage(), stale);
      case NoResultException none -> new EmptyResultDataAccessException(none.getMessage(), 1, none);
      case MultipleResultsException several -> new IncorrectResultSizeDataAccessException(several.getMessage(), 1, several);
      case StatementTimeoutException timeout -> new QueryTimeoutException(timeout.getMessage(), timeout);
      default -> e;
    };
  }
}
