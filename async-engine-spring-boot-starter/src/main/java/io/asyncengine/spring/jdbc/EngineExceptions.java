package io.asyncengine.spring.jdbc;

import io.asyncengine.error.MultipleResultsException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.PoolTimeoutException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.error.StatementTimeoutException;
import java.sql.SQLException;
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
 * driver error behind them (so they never reach the {@code ExceptionTranslator}): pool timeout,
 * stale version, no row, several rows, statement timeout. Use it where a future's failure is
 * handled: {@code future.exceptionally(e -> { throw EngineExceptions.translate(e); })}.
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
      case PoolTimeoutException e -> new CannotGetJdbcConnectionException(e.getMessage(),
          // The gate's timeout has no driver exception behind it; keep the engine's as the cause.
          e.getCause() instanceof SQLException sql ? sql : new SQLTransientConnectionException(e.getMessage(), "08001", e));
      case StaleObjectException e -> new OptimisticLockingFailureException(e.getMessage(), e);
      case NoResultException e -> new EmptyResultDataAccessException(e.getMessage(), 1, e);
      case MultipleResultsException e -> new IncorrectResultSizeDataAccessException(e.getMessage(), 1, e);
      case StatementTimeoutException e -> new QueryTimeoutException(e.getMessage(), e);
      case RuntimeException e -> e;
      default -> new CompletionException(cause);
    };
  }
}
