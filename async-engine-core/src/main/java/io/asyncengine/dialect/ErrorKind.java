package io.asyncengine.dialect;

import io.asyncengine.error.ConnectionLostException;
import io.asyncengine.error.DataException;
import io.asyncengine.error.DatabaseException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StatementTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * What went wrong, as far as the engine cares: one constant per exception class it throws, with
 * the words that open the message.
 *
 * <p>Thread: immutable.
 */
enum ErrorKind {
  STATEMENT_TIMEOUT("Statement timed out or was cancelled"),
  SERIALIZATION_FAILURE("Serialization failure or deadlock, the transaction may be retried"),
  PENDING_ROLLBACK("Transaction aborted by an earlier error, roll it back first"),
  INTEGRITY("Unique or other constraint violated"),
  DATA("Invalid value: too long, out of range, wrong type or division by zero"),
  PROGRAMMING("Syntax error or unknown object"),
  // Its own kind only for the wording; the class is OperationalException like any other.
  READ_ONLY("Write rejected, the database or transaction is read-only"),
  CONNECTION_LOST("Connection to the database lost"),
  OPERATIONAL("Database unavailable, locked or connection lost"),
  OTHER("Database error");

  private final String description;

  ErrorKind(String description) {
    this.description = description;
  }

  /** The words that open the message. */
  String description() {
    return description;
  }

  /** The exception of this kind with {@code message}, {@code sql} (may be null) and {@code cause}. */
  RuntimeException newException(String message, @Nullable String sql, Throwable cause) {
    return switch (this) {
      case STATEMENT_TIMEOUT -> new StatementTimeoutException(message, sql, cause);
      case SERIALIZATION_FAILURE -> new SerializationFailureException(message, sql, cause);
      case PENDING_ROLLBACK -> new PendingRollbackException(message, sql, cause);
      case INTEGRITY -> new IntegrityViolationException(message, sql, cause);
      case DATA -> new DataException(message, sql, cause);
      case PROGRAMMING -> new ProgrammingException(message, sql, cause);
      case CONNECTION_LOST -> new ConnectionLostException(message, sql, cause);
      case READ_ONLY, OPERATIONAL -> new OperationalException(message, sql, cause);
      case OTHER -> new DatabaseException(message, sql, cause);
    };
  }
}
