package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the ways one statement runs (a single execution, a batch, a cursor). The
 * steps they share run once, in {@code SqlConnection}, in this order: {@link #prepare()}, the
 * statement timeout, {@link #bind}, publish as running, {@link #execute} under the cancel timer,
 * {@link #read}, log; on a driver failure: log, {@link #discard}, translate the exception; in any
 * case: unpublish, {@link #release}.
 *
 * <p>A call is made for one statement and used once, on the connection's thread. Not thread-safe.
 *
 * @param <T> what the statement returns
 */
public abstract class StatementCall<T> {

  private final String operation;
  private final ParsedSql parsed;

  /**
   * A call of {@code parsed} for {@code operation}, the name error messages give it
   * ({@code "execute"}, {@code "executeMany"}, {@code "stream"}).
   */
  protected StatementCall(String operation, ParsedSql parsed) {
    this.operation = operation;
    this.parsed = parsed;
  }

  /** The operation named in error messages. */
  public final String operation() {
    return operation;
  }

  /** The statement as the caller wrote it and as JDBC gets it. */
  public final ParsedSql parsed() {
    return parsed;
  }

  /** The statement to run: from the connection's cache, or prepared for this call alone. */
  public abstract PreparedStatement prepare() throws SQLException;

  /** Binds the values; runs before the statement is published as running. */
  public abstract void bind(PreparedStatement statement) throws SQLException;

  /** Executes; the statement timeout's cancel timer runs only around this step. */
  public abstract void execute(PreparedStatement statement) throws SQLException;

  /** What the caller gets, read after the execution. */
  public abstract T read(PreparedStatement statement) throws SQLException;

  /** After a driver failure: the statement ({@code null} when preparing failed) is not used again. */
  public abstract void discard(@Nullable PreparedStatement statement);

  /** After the call, unless {@link #discard} ran: the statement goes back to the cache or is closed. */
  public abstract void release(PreparedStatement statement);

  /** The parameters as the echo log shows them. */
  public abstract Object logged();

  /** The parameters an error message may show (with echo on), or {@code null}. */
  public abstract @Nullable Params shown();

  /** What the echo log says of a call that succeeded. */
  public String outcome() {
    return "ok";
  }

  /** Closes {@code statement}, ignoring a failure: it is being dropped. */
  protected static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (Exception ignored) {
      // Cleanup after a failure or a statement that is not cached; the pool deals with a broken connection.
    }
  }
}
