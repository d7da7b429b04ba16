package io.asyncengine.spring.jdbc;

import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.ExceptionTranslator;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The engine's {@link ExceptionTranslator} raising Spring's {@link DataAccessException} types. By
 * default it is spring-jdbc's {@link SQLExceptionSubclassTranslator} (SQLState classes and JDBC 4
 * exception subclasses) preceded by two rules it lacks: SQLite's result codes (sqlite-jdbc reports
 * no SQLState) and PostgreSQL's {@code 55P03 lock_not_available}. An application's own
 * {@link SQLExceptionTranslator} replaces both. What no rule recognises becomes
 * {@link UncategorizedSQLException}.
 *
 * <p>The engine's own exceptions, which have no driver error behind them, get Spring's types too
 * ({@link #translateEngineException}, with the mapping of {@link EngineExceptions}): pool timeout,
 * stale version, no row, several rows, the per-operation timeout.
 *
 * <p>Thread-safe; called on the thread that ran the statement (an engine lane thread, or the
 * caller's for the synchronous API). Never throws.
 */
public final class SpringExceptionTranslator implements ExceptionTranslator {

  private static final String SQLITE_EXCEPTION_PACKAGE = "org.sqlite.";

  private final SQLExceptionTranslator delegate;
  private final boolean builtInRules;

  /** spring-jdbc's default translation plus the SQLite and PostgreSQL rules. */
  public SpringExceptionTranslator() {
    this.delegate = new SQLExceptionSubclassTranslator();
    this.builtInRules = true;
  }

  /** {@code translator} alone (an application's {@code SQLExceptionTranslator} bean). */
  public SpringExceptionTranslator(SQLExceptionTranslator translator) {
    this.delegate = translator;
    this.builtInRules = false;
  }

  @Override
  public RuntimeException translate(String operation, @Nullable String sql, @Nullable String parameters, SQLException ex) {
    String task = parameters == null || parameters.isEmpty()
        ? "async-engine " + operation : "async-engine " + operation + " " + parameters;
    DataAccessException translated = builtInRules ? byRules(task, sql, ex) : null;
    if (translated == null) {
      translated = delegate.translate(task, sql, ex);
    }
    return translated != null ? translated : new UncategorizedSQLException(task, sql, ex);
  }

  /**
   * The Spring type of an exception the engine raised itself, as the async facade passes it on:
   * {@code PoolTimeoutException} → {@code CannotGetJdbcConnectionException},
   * {@code StaleObjectException} → {@code OptimisticLockingFailureException},
   * {@code NoResultException} → {@code EmptyResultDataAccessException},
   * {@code MultipleResultsException} → {@code IncorrectResultSizeDataAccessException},
   * {@code StatementTimeoutException} → {@code QueryTimeoutException}; others unchanged. Runs on
   * the thread where the failure arises (an engine thread); never throws.
   */
  @Override
  public RuntimeException translateEngineException(AsyncEngineException e) {
    return EngineExceptions.toSpring(e);
  }

  private static @Nullable DataAccessException byRules(String task, @Nullable String sql, SQLException ex) {
    if ("55P03".equals(ex.getSQLState())) {
      return new CannotAcquireLockException(message(task, sql, ex), ex);
    }
    if (ex.getSQLState() == null && ex.getClass().getName().startsWith(SQLITE_EXCEPTION_PACKAGE)) {
      return sqlite(task, sql, ex);
    }
    return null;
  }

  /** SQLite's primary result code is the low byte of the (possibly extended) code. */
  private static @Nullable DataAccessException sqlite(String task, @Nullable String sql, SQLException ex) {
    int code = ex.getErrorCode();
    String message = message(task, sql, ex);
    return switch (code) {
      case 1555, 2067 -> new DuplicateKeyException(message, ex); // CONSTRAINT_PRIMARYKEY, CONSTRAINT_UNIQUE
      default -> switch (code & 0xff) {
        case 5, 6 -> new CannotAcquireLockException(message, ex); // BUSY, LOCKED
        case 19, 18, 20 -> message.contains("UNIQUE constraint failed")
            ? new DuplicateKeyException(message, ex)
            : new DataIntegrityViolationException(message, ex); // CONSTRAINT, TOOBIG, MISMATCH
        case 1 -> new BadSqlGrammarException(task, sql != null ? sql : "", ex); // ERROR: syntax, no such table
        default -> null;
      };
    };
  }

  private static String message(String task, @Nullable String sql, SQLException ex) {
    return task + "; " + (sql != null ? "SQL [" + sql + "]; " : "") + ex.getMessage();
  }
}
