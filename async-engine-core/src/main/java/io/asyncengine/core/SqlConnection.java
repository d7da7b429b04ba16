package io.asyncengine.core;

import io.asyncengine.core.internal.BatchCall;
import io.asyncengine.core.internal.Checkout;
import io.asyncengine.core.internal.CoreAccess;
import io.asyncengine.core.internal.ExecuteCall;
import io.asyncengine.core.internal.ItemCursor;
import io.asyncengine.core.internal.OperationControl;
import io.asyncengine.core.internal.ParsedSql;
import io.asyncengine.core.internal.ResetWatchdog;
import io.asyncengine.core.internal.RowReading;
import io.asyncengine.core.internal.RunningStatement;
import io.asyncengine.core.internal.StatementCall;
import io.asyncengine.core.internal.StatementTimeouts;
import io.asyncengine.core.internal.WriterTurn;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.CommitOutcomeUnknownException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Result;
import io.asyncengine.mapping.ResultSetMapper;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection borrowed from an {@link Engine}: the blocking view of SQLAlchemy's
 * {@code Connection}, and what {@code AsyncConnection.runSync} hands out.
 *
 * <p>Transactions follow SQLAlchemy 2.0: the first statement autobegins one, {@link #commit()}
 * commits it, {@link #close()} rolls back whatever was not committed. {@link #begin()} starts one
 * explicitly; {@link #beginNested()} opens a SAVEPOINT inside it.
 *
 * <p>Parameters: {@code ?} markers take positional values ({@code execute(sql, 1, "x")}), {@code
 * :name} markers take {@link Params#named} ({@code execute(sql, Params.named(Map.of("id", 1)))}).
 * Every value is bound, never spliced into the SQL. A wrong count, a missing or unknown name, or a
 * {@code Map} among positional values fails with {@link
 * io.asyncengine.error.ParameterBindingException} before anything reaches the database.
 *
 * <p>When the async facade cancels an operation inside a transaction in a way that costs the
 * transaction other operations' work (see docs/concurrency.md), the transaction is rolled back and
 * <em>invalidated</em>: statements, {@code begin}, {@code beginNested} and {@code commit} then throw
 * {@link PendingRollbackException} naming the cancelled operation, so nothing queued behind it runs
 * or commits in a new transaction, until {@link #rollback()} (or the invalidated transaction's own
 * {@code rollback()}/{@code close()}) acknowledges it.
 *
 * <p>Thread: not thread-safe; use it from one thread at a time (the async facade runs it on the
 * connection's lane). Only {@link #cancelStatement()} and the state getters may be called from
 * other threads.
 */
public final class SqlConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqlConnection.class);

  static {
    CoreAccess.install(new CoreAccess.Bridge() {
      @Override
      public OperationControl control(SqlConnection connection) {
        return connection.control;
      }

      @Override
      public <T> ItemCursor<T> cursor(SqlConnection connection, String sql, Params params, RowReading<T> reading) {
        return connection.openCursor(sql, params, reading);
      }
    });
  }

  private final OperationControl control = new OperationControl() {
    @Override
    public void cancelOperation() {
      running.cancelOperation();
    }

    @Override
    public void recoverFromCancel() {
      SqlConnection.this.recoverFromCancel();
    }

    @Override
    public void endOperation() {
      running.endOperation();
    }

    @Override
    public boolean autobegins() {
      return !autocommit;
    }

    @Override
    public void invalidateTransaction(String cancelled, boolean afterRecovery) {
      SqlConnection.this.invalidateTransaction(cancelled, afterRecovery);
    }

    @Override
    public boolean detach() {
      return SqlConnection.this.detach();
    }

    @Override
    public void returnDetached(Duration rollbackLimit) {
      SqlConnection.this.returnDetached(rollbackLimit);
    }
  };

  private final Engine engine;
  private final Dialect dialect;
  private final ExecutionOptions options;
  private final Checkout checkout;
  private final Connection jdbc;
  private final RunningStatement running = new RunningStatement();
  private final WriterTurn writer; // the engine's writer permit, on a single-writer database
  private final TransactionStack transactions = new TransactionStack();
  private final List<ResultSetCursor<?>> openCursors = new ArrayList<>(1);
  private final Map<String, Object> info = new ConcurrentHashMap<>(4);

  private volatile boolean closed;
  /** A driver error said the connection is gone: nothing more is sent on it, and it is evicted. */
  private volatile boolean lost;
  private boolean readOnlyApplied;
  private boolean autocommit; // IsolationLevel.AUTOCOMMIT: no autobegin, the driver commits each statement
  private @Nullable ResultSetCursor<?> cursorTransactionOwner; // in autocommit mode, the cursor whose transaction is open
  /** The cancelled operation that invalidated the transaction, until {@link #rollback()}; else null. */
  private volatile @Nullable String invalidatedBy;
  /** The root transaction that was open when the transaction was invalidated, or null. */
  private @Nullable Transaction invalidatedRoot;
  /** The root transaction the last rollback after a cancel ended, or null. */
  private @Nullable Transaction rolledBackByCancel;

  SqlConnection(Engine engine, Connection jdbc) {
    this.engine = engine;
    this.dialect = engine.dialect();
    this.checkout = new Checkout(jdbc, engine.pool(), engine.sessions(), engine.statementCaches());
    this.jdbc = jdbc;
    this.options = engine.options();
    this.writer = WriterTurn.in(engine.writers(), running::isOperationCancelled);
    try {
      autocommit = options.isolation() == IsolationLevel.AUTOCOMMIT;
      if (jdbc.getAutoCommit() != autocommit) {
        jdbc.setAutoCommit(autocommit);
      }
      if (options.isolation() != null && !autocommit) {
        jdbc.setTransactionIsolation(dialect.effectiveIsolation(options.isolation()).jdbcLevel());
      }
      if (options.readOnly()) {
        dialect.setReadOnly(jdbc, true);
        readOnlyApplied = true;
      }
    } catch (SQLException e) {
      RuntimeException translated = translate("connect", null, null, e);
      if (lost) {
        checkout.evict(); // the pool must not hand it out again; the caller's close is then a no-op
      }
      throw translated;
    }
  }

  // ---------------------------------------------------------------- statements

  /**
   * Runs one statement with positional values for its {@code ?} markers and buffers its result.
   *
   * @return the rows of a query; for DML the affected row count and generated keys
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers,
   *     or one of them is a {@code Map} or {@code Params} (use {@link #execute(String, Params)})
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors, naming the SQL
   * @throws ResourceClosedException when the connection is closed
   * @throws NullPointerException when {@code sql} is null
   */
  public Result execute(String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(sql, "sql must not be null");
    return execute(sql, Params.fromVarargs(params));
  }

  /**
   * Runs one statement with {@link Params}: positional, or named for {@code :name} markers (a
   * marker missing from the map, or a key no marker uses, fails). Same contract as {@link
   * #execute(String, Object...)}.
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Result execute(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    ParsedSql parsed = parse(sql);
    ensureValidTransaction();
    @Nullable Object[] values = engine.binder().order(parsed, params);
    autobegin();
    boolean wasLost = lost;
    try {
      return run(new ExecuteCall(parsed, params, values, checkout.statements(), engine.binder()));
    } catch (RuntimeException e) {
      throw parsed.query() || wasLost ? e : outcomeUnknownIfAutocommitted(e);
    } finally {
      if (parsed.changesSqlMode()) {
        checkout.statements().forgetBackslashRule();
      }
      if (!transactions.isOpen()) {
        writer.release(); // autocommit: the statement was its own transaction
      }
    }
  }

  /**
   * Runs one statement once per element of {@code batch} as a JDBC batch (SQLAlchemy's
   * executemany). An empty batch runs nothing. On failure nothing is committed by this call; the
   * enclosing transaction decides (roll it back to leave nothing half-written).
   *
   * @return the update count of each execution, as the driver reports them
   * @throws io.asyncengine.error.ParameterBindingException when an element does not fit the markers
   *     (checked for every element before anything is sent)
   * @throws NullPointerException when {@code sql} or {@code batch} is null
   */
  public int[] executeMany(String sql, List<? extends Params> batch) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(batch, "batch must not be null");
    ParsedSql parsed = parse(sql);
    List<@Nullable Object[]> rows = new ArrayList<>(batch.size());
    for (Params params : batch) {
      rows.add(engine.binder().order(parsed, params));
    }
    if (rows.isEmpty()) {
      return new int[0];
    }
    ensureValidTransaction();
    autobegin();
    boolean wasLost = lost;
    try {
      return run(new BatchCall(parsed, rows, checkout.statements(), engine.binder()));
    } catch (RuntimeException e) {
      throw wasLost ? e : outcomeUnknownIfAutocommitted(e);
    } finally {
      if (!transactions.isOpen()) {
        writer.release(); // autocommit: the batch ran without a transaction
      }
    }
  }

  /**
   * The first column of the first row converted to {@code type}, or {@code null} when there is no
   * row or the value is NULL. Same contract as {@link #execute(String, Object...)}.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> @Nullable T scalar(Class<T> type, String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return execute(sql, Params.fromVarargs(params)).scalar(type);
  }

  /**
   * {@link #scalar(Class, String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> @Nullable T scalar(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return execute(sql, params).scalar(type);
  }

  /**
   * The first column of every row converted to {@code type}.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> List<@Nullable T> scalars(Class<T> type, String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return execute(sql, Params.fromVarargs(params)).scalars(type);
  }

  /**
   * {@link #scalars(Class, String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> List<@Nullable T> scalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return execute(sql, params).scalars(type);
  }

  // ---------------------------------------------------------------- streaming

  /**
   * Opens a server-side cursor over a query: rows are fetched {@code fetchSize} at a time as the
   * cursor is read, so memory stays flat for any row count. The cursor must be closed (or read to
   * the end); closing the connection closes it.
   *
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public RowCursor cursor(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return new ResultSetRowCursor(openCursor(sql, params, RowReading.rows()));
  }

  /** {@link #cursor(String, Params)} with each row read into an item by {@code reading}'s reader. */
  <T> ResultSetCursor<T> openCursor(String sql, Params params, RowReading<T> reading) {
    ParsedSql parsed = parse(sql);
    @Nullable Object[] values = engine.binder().order(parsed, params);
    ensureValidTransaction();
    // Autocommit mode: a cursor runs in a transaction of its own (PostgreSQL streams only inside one).
    boolean ownTransaction = autocommit && !transactions.isOpen();
    if (ownTransaction) {
      begin();
    } else {
      autobegin();
    }
    try {
      int fetchSize = options.fetchSize() > 0 ? options.fetchSize() : dialect.defaultFetchSize();
      ResultSetCursor<T> cursor = run(new CursorCall<>(this, jdbc, dialect, fetchSize, engine.binder(), running,
          parsed, params, values, reading));
      openCursors.add(cursor);
      if (ownTransaction) {
        cursorTransactionOwner = cursor;
      }
      return cursor;
    } finally {
      if (ownTransaction && cursorTransactionOwner == null) {
        endQuietly(false); // the cursor did not open: end the transaction begun for it
      }
    }
  }

  /**
   * The rows of a query as a lazily fetched {@link Stream} over a server-side cursor. Close the
   * stream (try-with-resources) to release the cursor early.
   *
   * @throws NullPointerException when {@code sql} is null
   */
  public Stream<Row> stream(String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(sql, "sql must not be null");
    return cursor(sql, Params.fromVarargs(params)).stream();
  }

  /**
   * {@link #stream(String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code sql} or {@code params} is null
   */
  public Stream<Row> stream(String sql, Params params) {
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return cursor(sql, params).stream();
  }

  /**
   * The first column of each row of a streamed query, converted to {@code type}.
   *
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Stream<@Nullable T> streamScalars(Class<T> type, String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return streamOf(sql, Params.fromVarargs(params), RowReading.firstColumn(type));
  }

  /**
   * {@link #streamScalars(Class, String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> Stream<@Nullable T> streamScalars(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return streamOf(sql, params, RowReading.firstColumn(type));
  }

  /**
   * The rows of a query mapped to {@code type} (a record, a POJO, or a simple type for a one-column
   * result), as a lazily fetched {@link Stream} over a server-side cursor: what
   * {@code stream(sql).map(row -> row.as(type))} gives (the same objects, the same
   * {@link io.asyncengine.error.MappingException}s), without a {@link Row} per row. The mapping is
   * planned once when the cursor opens: each column is read with the getter its SQL type and the
   * property's type call for ({@code getLong}, {@code getString}, {@code getDouble} on PostgreSQL
   * and MariaDB, else {@code getObject} and the usual conversion), and a record is built from those
   * reads directly. Close the stream (try-with-resources) to release the cursor early. Up to 64
   * rows are read ahead of the stream's consumer.
   *
   * @throws io.asyncengine.error.MappingException when the columns do not fit {@code type} (at
   *     open), or a value cannot be converted (when that row is read, naming the column)
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   * @throws NullPointerException when {@code type} or {@code sql} is null
   */
  public <T> Stream<T> stream(Class<T> type, String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return streamOf(sql, Params.fromVarargs(params), RowReading.as(type));
  }

  /**
   * {@link #stream(Class, String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code type}, {@code sql} or {@code params} is null
   */
  public <T> Stream<T> stream(Class<T> type, String sql, Params params) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return streamOf(sql, params, RowReading.as(type));
  }

  /**
   * The rows of a query read by {@code mapper} straight from the JDBC result set (Spring's
   * {@code RowMapper}), as a lazily fetched {@link Stream} over a server-side cursor. The mapper
   * runs on the thread reading the stream, once per row, possibly up to 64 rows ahead of the
   * stream's consumer; see {@link ResultSetMapper} for what it may not do. An
   * {@code SQLException} it throws fails the stream translated as any database error; anything
   * else it throws propagates as is. Close the stream to release the cursor early.
   *
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   * @throws NullPointerException when {@code mapper} or {@code sql} is null
   */
  public <T> Stream<@Nullable T> stream(ResultSetMapper<T> mapper, String sql, @Nullable Object @Nullable ... params) {
    Objects.requireNonNull(mapper, "mapper must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    return streamOf(sql, Params.fromVarargs(params), RowReading.mapped(mapper));
  }

  /**
   * {@link #stream(ResultSetMapper, String, Object...)} with {@link Params}.
   *
   * @throws NullPointerException when {@code mapper}, {@code sql} or {@code params} is null
   */
  public <T> Stream<@Nullable T> stream(ResultSetMapper<T> mapper, String sql, Params params) {
    Objects.requireNonNull(mapper, "mapper must not be null");
    Objects.requireNonNull(sql, "sql must not be null");
    Objects.requireNonNull(params, "params must not be null");
    return streamOf(sql, params, RowReading.mapped(mapper));
  }

  private <T> Stream<T> streamOf(String sql, Params params, RowReading<T> reading) {
    ResultSetCursor<T> cursor = openCursor(sql, params, reading);
    Spliterator<T> spliterator = Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED);
    return StreamSupport.stream(spliterator, false).onClose(cursor::close);
  }

  /**
   * The steps every statement takes, once: prepare, statement timeout, bind, the writer turn unless
   * the statement only reads (SQLite), publish as running (so a cancel reaches it), execute under
   * the cancel timer, read, log. A driver failure is logged, the statement dropped and the
   * exception translated. What differs between an execution, a batch and a cursor is
   * {@code call}'s.
   */
  private <T> T run(StatementCall<T> call) {
    long start = System.nanoTime();
    PreparedStatement statement = null;
    try {
      statement = call.prepare();
      engine.timeouts().apply(statement);
      call.bind(statement);
      if (!call.parsed().reads()) {
        // SQLite: after prepare and bind, so a statement that fails before running never takes the turn.
        writer.await();
      }
      running.start(statement);
      ScheduledFuture<?> timer = engine.timeouts().startTimer(statement);
      try {
        call.execute(statement);
      } finally {
        StatementTimeouts.stop(timer);
      }
      T result = call.read(statement);
      log(call, start, call.outcome());
      return result;
    } catch (SQLException e) {
      log(call, start, "failed");
      call.discard(statement);
      statement = null;
      throw translate(call.operation(), call.parsed().original(), call.shown(), e);
    } finally {
      running.finish();
      if (statement != null) {
        call.release(statement);
      }
    }
  }

  private void log(StatementCall<?> call, long start, String outcome) {
    if (engine.log().echo()) {
      engine.log().statement(call.parsed().original(), call.logged(), System.nanoTime() - start, outcome);
    }
  }

  private ParsedSql parse(String sql) {
    ensureOpen();
    return engine.parser().parse(sql, this::backslashEscapes);
  }

  /** MariaDB's backslash rule on this connection, for the rare statement whose markers depend on it. */
  private boolean backslashEscapes() {
    try {
      return checkout.statements().backslashEscapes(dialect);
    } catch (SQLException e) {
      throw translate("execute", "SELECT @@SESSION.sql_mode", null, e);
    }
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Begins the transaction explicitly.
   *
   * @throws InvalidRequestException when one is already begun (explicitly or by autobegin); use
   *     {@link #beginNested()} for a SAVEPOINT
   */
  public Transaction begin() {
    ensureOpen();
    ensureValidTransaction();
    if (transactions.isOpen()) {
      throw new InvalidRequestException(
          "A transaction is already begun on this connection; commit or roll it back first, or use beginNested()");
    }
    if (autocommit) {
      try {
        jdbc.setAutoCommit(false);
      } catch (SQLException e) {
        throw translate("begin", null, null, e);
      }
    }
    engine.log().event("BEGIN");
    return transactions.open(this);
  }

  /**
   * Opens a nested transaction (a SAVEPOINT), beginning the outer transaction first if needed.
   *
   * @throws io.asyncengine.error.AsyncEngineException when the database refuses the savepoint
   */
  public Transaction beginNested() {
    ensureOpen();
    ensureValidTransaction();
    if (autocommit && !transactions.isOpen()) {
      begin();
    }
    autobegin();
    try {
      Savepoint savepoint = jdbc.setSavepoint();
      engine.log().event("SAVEPOINT");
      return transactions.push(this, savepoint);
    } catch (SQLException e) {
      throw translate("beginNested", null, null, e);
    }
  }

  /**
   * Runs {@code work} in a transaction on this connection: begins one (or joins the one already
   * open), commits when {@code work} returns, rolls back when it throws and rethrows.
   *
   * @return what {@code work} returned
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> T runInTransaction(Function<? super SqlConnection, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    if (!transactions.isOpen()) {
      begin();
    }
    T value;
    try {
      value = work.apply(this);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(e);
      throw e;
    }
    commit();
    return value;
  }

  /**
   * Commits the current transaction, if there is one.
   *
   * @throws io.asyncengine.error.CommitOutcomeUnknownException when the connection was lost while
   *     COMMIT was in flight (never retried by a {@code RetryPolicy})
   * @throws io.asyncengine.error.PendingRollbackException when an operation cancelled inside the
   *     transaction invalidated it (see {@link #rollback()}); nothing is committed
   */
  public void commit() {
    ensureOpen();
    ensureValidTransaction();
    Transaction current = transactions.root();
    if (current != null) {
      current.commit();
    }
  }

  /**
   * Rolls back the current transaction, if there is one. Also ends the pending-rollback state an
   * operation cancelled inside a transaction leaves (its transaction was already rolled back), after
   * which statements run again.
   */
  public void rollback() {
    ensureOpen();
    clearInvalidation();
    Transaction current = transactions.root();
    if (current != null) {
      current.rollback();
    }
  }

  /** Whether a transaction is open (begun explicitly or by a statement). Any thread. */
  public boolean inTransaction() {
    return transactions.isOpen();
  }

  /** Whether a SAVEPOINT is open. Any thread. */
  public boolean inNestedTransaction() {
    return transactions.hasSavepoints();
  }

  /** The current transaction, or {@code null}. Same as {@link #getTransaction()}. Any thread. */
  public @Nullable Transaction transaction() {
    return transactions.root();
  }

  /**
   * The current root transaction, begun explicitly or by a statement, or {@code null} when none is
   * open (SQLAlchemy's {@code get_transaction()}). A plain read that never blocks: any thread, as of
   * the operations completed so far.
   */
  public @Nullable Transaction getTransaction() {
    return transactions.root();
  }

  /**
   * The innermost open SAVEPOINT, or {@code null} when none is open (SQLAlchemy's
   * {@code get_nested_transaction()}). A plain read that never blocks: any thread, as of the
   * operations completed so far.
   */
  public @Nullable Transaction getNestedTransaction() {
    return transactions.innermost();
  }

  /**
   * A mutable map for the application's own data about this connection (SQLAlchemy's
   * {@code Connection.info}). Its lifetime is one checkout: each {@link Engine#connect()} starts
   * with an empty map that goes with this connection object (never reused once closed), so nothing
   * one user of a pooled connection stores reaches the next. (SQLAlchemy keeps {@code info} with the DBAPI
   * connection across checkouts; here data meant to outlive a checkout belongs elsewhere.)
   * Thread-safe, so the async facade's callers may use it from any thread; no null keys or values.
   */
  public Map<String, Object> info() {
    return info;
  }

  /**
   * The isolation level in force on this connection.
   *
   * @throws io.asyncengine.error.AsyncEngineException when the driver cannot tell
   */
  public IsolationLevel isolationLevel() {
    ensureOpen();
    if (autocommit) {
      return IsolationLevel.AUTOCOMMIT;
    }
    try {
      return IsolationLevel.fromJdbc(jdbc.getTransactionIsolation());
    } catch (SQLException e) {
      throw translate("isolationLevel", null, null, e);
    }
  }

  /**
   * Sets the isolation level of the next transaction on this connection (the pool resets it when
   * the connection is returned). A level the database lacks runs as the next stricter one.
   * {@link IsolationLevel#AUTOCOMMIT} turns autobegin off: each statement then commits by itself.
   *
   * @return this connection
   * @throws InvalidRequestException inside a transaction, where the level can no longer change
   * @throws NullPointerException when {@code level} is null
   */
  public SqlConnection withIsolation(IsolationLevel level) {
    Objects.requireNonNull(level, "level must not be null");
    ensureOpen();
    if (transactions.isOpen()) {
      throw new InvalidRequestException(
          "Cannot change the isolation level inside a transaction; commit or roll back first");
    }
    try {
      boolean wantsAutocommit = level == IsolationLevel.AUTOCOMMIT;
      if (wantsAutocommit != autocommit) {
        jdbc.setAutoCommit(wantsAutocommit);
        autocommit = wantsAutocommit;
      }
      if (!wantsAutocommit) {
        jdbc.setTransactionIsolation(dialect.effectiveIsolation(level).jdbcLevel());
      }
      return this;
    } catch (SQLException e) {
      throw translate("withIsolation", null, null, e);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Cancels the statement running on this connection, if any: a cancel request to the server
   * (PostgreSQL, MariaDB) or an interrupt (SQLite). The running call then fails with
   * {@link io.asyncengine.error.StatementTimeoutException}. Callable from any thread; never throws.
   */
  public void cancelStatement() {
    running.cancel();
  }

  /** See {@link OperationControl#recoverFromCancel()}. */
  private void recoverFromCancel() {
    if (closed) {
      return;
    }
    running.endOperation();
    if (lost) {
      invalidate();
      return;
    }
    if (!openCursors.isEmpty()) {
      // A cursor cut off mid-stream: closing it cleanly means reading the rest of the rows
      // (MariaDB's streaming results) or waiting for the server; abort the connection instead.
      abortAndEvict();
      return;
    }
    rollbackAfterCancel();
  }

  /** See {@link OperationControl#invalidateTransaction(String, boolean)}. */
  private void invalidateTransaction(String cancelled, boolean afterRecovery) {
    if (closed) {
      return;
    }
    if (invalidatedBy == null) {
      invalidatedBy = cancelled;
      Transaction open = transactions.root();
      invalidatedRoot = open != null || !afterRecovery ? open : rolledBackByCancel;
    }
    rollbackAfterCancel();
  }

  /** Rolls back an open transaction after a cancel; a connection whose rollback fails is evicted. */
  private void rollbackAfterCancel() {
    rolledBackByCancel = transactions.root();
    try {
      if (transactions.isOpen()) {
        engine.log().event("ROLLBACK (cancelled)");
        endTransaction(false);
      }
    } catch (SQLException | RuntimeException e) {
      if (checkout.isUsable()) {
        return; // e.g. SQLite rolls back an interrupted transaction itself: nothing left to roll back
      }
      LOG.warn("Rolling back after a cancel failed; evicting the connection: {}", e.toString());
      invalidate();
    }
  }

  /**
   * Fails while the transaction is invalidated: a cancelled operation's transaction was rolled
   * back, and work queued behind it must not run, nor commit, in a new one before the caller
   * acknowledges with {@link #rollback()}.
   */
  private void ensureValidTransaction() {
    String cancelled = invalidatedBy;
    if (cancelled != null) {
      throw new PendingRollbackException("This connection's transaction was rolled back because the operation "
          + cancelled + " was cancelled inside it; call rollback() before using the connection again", null, null);
    }
  }

  private void clearInvalidation() {
    invalidatedBy = null;
    invalidatedRoot = null;
  }

  /**
   * {@code transaction} ended because it was invalidated: rolling it back (or closing it)
   * acknowledges that, as {@link #rollback()} does. Returns whether it was that transaction.
   */
  boolean acknowledgeInvalidation(Transaction transaction) {
    if (invalidatedBy != null && transaction == invalidatedRoot) {
      clearInvalidation();
      return true;
    }
    return false;
  }

  /** Throws {@link PendingRollbackException} while the transaction is invalidated. */
  void checkValidTransaction() {
    ensureValidTransaction();
  }

  /** Closes the socket at once (no draining of unread rows) and evicts the connection. */
  private void abortAndEvict() {
    closed = true;
    engine.log().event("ABORT (cancelled while streaming)");
    forgetTransaction();
    openCursors.clear();
    checkout.abort();
  }

  /**
   * The raw JDBC connection (a pool proxy), for what the engine does not cover
   * ({@code get_raw_connection}). Do not close it, change its auto-commit mode or keep it after this
   * connection is closed.
   *
   * @throws ResourceClosedException when the connection is closed
   */
  public Connection jdbc() {
    ensureOpen();
    return jdbc;
  }

  /** The engine this connection came from. */
  public Engine engine() {
    return engine;
  }

  /**
   * Evicts the physical connection from the pool (SQLAlchemy's {@code invalidate()}), for a
   * connection whose state cannot be trusted. This connection is closed afterwards. Where the
   * dialect tracks server sessions (MariaDB), the session is also killed from another connection,
   * asynchronously, so nothing it ran survives.
   */
  public void invalidate() {
    if (closed) {
      return;
    }
    closed = true;
    engine.log().event("INVALIDATE");
    checkout.killSession(); // first: closing a cursor below may wait on a statement still running
    closeCursors();
    checkout.evict();
    writer.release(); // closing the JDBC connection ended its transaction
  }

  /**
   * Whether a driver error has said that the connection is gone ({@link Dialect#isConnectionLost}).
   * Such a connection is evicted, not returned, when closed. Any thread.
   */
  public boolean isConnectionLost() {
    return lost;
  }

  /** Whether the connection has been closed or invalidated. Any thread. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes open cursors, rolls back an open transaction and returns the connection to the pool;
   * idempotent. A connection whose rollback fails is evicted rather than returned, and so is one
   * whose connection was lost ({@link #isConnectionLost()}), without trying the rollback.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    giveBack(null);
  }

  /** See {@link OperationControl#detach()}. */
  private boolean detach() {
    if (closed || lost || !transactions.isOpen()) {
      return false;
    }
    closed = true;
    return true;
  }

  /** See {@link OperationControl#returnDetached(Duration)}. */
  private void returnDetached(Duration rollbackLimit) {
    giveBack(rollbackLimit);
  }

  /**
   * The rest of {@link #close()} once {@link #closed} is set: closes cursors, rolls back, and gives
   * the connection back, or evicts it when that failed. With a {@code rollbackLimit}, a rollback
   * still running after it is stopped by closing the socket from the timer thread (network loss, a
   * hung server), and the connection is evicted.
   */
  private void giveBack(@Nullable Duration rollbackLimit) {
    if (lost) {
      engine.log().event("EVICT (connection lost)");
      forgetTransaction(); // the server ended it with the session
      openCursors.clear();
      checkout.killSession(); // the session may outlive a socket that broke on the client's side
      checkout.evict();
      writer.release();
      return;
    }
    ResetWatchdog watchdog = rollbackLimit == null ? null : ResetWatchdog.arm(checkout, rollbackLimit);
    Exception failure = null;
    try {
      closeCursors();
      if (transactions.isOpen()) {
        engine.log().event("ROLLBACK (close)");
        endTransaction(false);
      }
      if (readOnlyApplied) {
        dialect.setReadOnly(jdbc, false);
      }
    } catch (SQLException | RuntimeException e) {
      failure = e;
    }
    boolean healthy;
    if (watchdog != null && !watchdog.disarm()) {
      healthy = false; // the socket was closed under the rollback: whatever it says, the connection is gone
      LOG.warn("Rolling back a closed connection took longer than {} ms; it was cut off and evicted",
          rollbackLimit.toMillis());
    } else if (failure == null) {
      healthy = true;
    } else {
      // A rollback that failed after close() completed leaves nothing to tell the caller: evict.
      // Closed synchronously, SQLite ends an interrupted transaction itself; its rollback then fails
      // harmlessly, and a connection that still answers is given back.
      healthy = watchdog == null && checkout.isUsable();
      if (!healthy) {
        LOG.warn("Cleaning up a connection failed; evicting it from the pool: {}", failure.toString());
      }
    }
    if (healthy) {
      checkout.giveBack();
    } else {
      checkout.killSession();
      checkout.evict();
    }
    writer.release(); // a transaction that failed to end still holds it
  }

  // ---------------------------------------------------------------- package-private plumbing

  void commitTransaction(Transaction transaction) {
    ensureOpen();
    ensureValidTransaction();
    try {
      if (transaction.isNested()) {
        transactions.pop(transaction);
        jdbc.releaseSavepoint(transaction.savepoint());
        engine.log().event("RELEASE SAVEPOINT");
      } else {
        engine.log().event("COMMIT");
        endTransaction(true);
      }
    } catch (SQLException e) {
      if (!transaction.isNested()) {
        forgetTransaction();
      }
      RuntimeException translated = translate("commit", null, null, e);
      if (lost && !transaction.isNested()) {
        throw outcomeUnknown("COMMIT", e, translated);
      }
      throw translated;
    }
  }

  void rollbackTransaction(Transaction transaction) {
    ensureOpen();
    if (lost && !transaction.isNested()) {
      // The server rolled it back when the session ended; the driver would only fail again.
      engine.log().event("ROLLBACK (connection lost)");
      forgetTransaction();
      return;
    }
    try {
      if (transaction.isNested()) {
        transactions.pop(transaction);
        jdbc.rollback(transaction.savepoint());
        jdbc.releaseSavepoint(transaction.savepoint());
        engine.log().event("ROLLBACK TO SAVEPOINT");
      } else {
        engine.log().event("ROLLBACK");
        endTransaction(false);
      }
    } catch (SQLException e) {
      if (!transaction.isNested()) {
        forgetTransaction();
      }
      throw translate("rollback", null, null, e);
    }
  }

  void cursorClosed(ResultSetCursor<?> cursor) {
    openCursors.remove(cursor);
    if (cursor == cursorTransactionOwner) {
      cursorTransactionOwner = null;
      endQuietly(true); // autocommit mode: the cursor's own transaction ends with it
    }
  }

  RuntimeException translate(String operation, @Nullable String sql, @Nullable Params params, SQLException e) {
    if (!lost && dialect.isConnectionLost(e)) {
      lost = true;
    }
    String shown = !engine.log().echo() ? null : params != null ? params.describe() : "";
    return engine.config().exceptionTranslator().translate(operation, sql, shown, e);
  }

  // ---------------------------------------------------------------- private

  /**
   * {@code failure} of a write, or a {@link CommitOutcomeUnknownException} when it lost the
   * connection in autocommit mode: the statement was its own transaction, and the server may have
   * committed it before the connection broke.
   */
  private RuntimeException outcomeUnknownIfAutocommitted(RuntimeException failure) {
    if (!lost || !autocommit || transactions.isOpen() || failure instanceof CommitOutcomeUnknownException) {
      return failure;
    }
    return outcomeUnknown("an autocommitted write", failure.getCause() != null ? failure.getCause() : failure, failure);
  }

  private static CommitOutcomeUnknownException outcomeUnknown(String what, Throwable cause,
      RuntimeException translated) {
    CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("The connection was lost while " + what
        + " was in flight; whether the transaction was committed is unknown, so it is not retried: "
        + translated.getMessage(), translated instanceof io.asyncengine.error.AsyncEngineException engineError
            ? engineError.sql() : null, cause);
    unknown.addSuppressed(translated);
    return unknown;
  }

  /** Rolls back after {@code cause}, adding a rollback failure to it as suppressed. */
  private void rollbackQuietly(Throwable cause) {
    Transaction current = transactions.root();
    if (closed || current == null) {
      return;
    }
    try {
      current.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Ends the root transaction if one is open, logging instead of throwing (cleanup paths). */
  private void endQuietly(boolean commit) {
    if (!transactions.isOpen() || closed) {
      return;
    }
    try {
      engine.log().event(commit ? "COMMIT (cursor closed)" : "ROLLBACK (cursor failed)");
      endTransaction(commit);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Ending the transaction of a cursor failed", e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new ResourceClosedException("This connection is closed");
    }
  }

  private void autobegin() {
    if (!transactions.isOpen() && !autocommit) {
      transactions.open(this);
    }
  }

  private void endTransaction(boolean commit) throws SQLException {
    closeCursors();
    try {
      if (commit) {
        jdbc.commit();
      } else {
        jdbc.rollback();
      }
    } catch (SQLException e) {
      if (!dialect.isTransactionGone(e)) {
        throw e;
      }
      // The database ended the transaction by itself: reopen the driver's, so nothing runs in the
      // database's autocommit behind the caller's back. A rollback has then done its job; a commit
      // has kept nothing and must say so.
      dialect.reopenTransaction(jdbc);
      if (commit) {
        throw e;
      }
      engine.log().event("ROLLBACK (the database had already rolled back)");
    } finally {
      forgetTransaction();
      if (autocommit && !closed) {
        // Back to one transaction per statement; a connection that refuses cannot be trusted.
        try {
          jdbc.setAutoCommit(true);
        } catch (SQLException e) {
          invalidate();
          throw e;
        }
      }
    }
  }

  private void forgetTransaction() {
    writer.release();
    transactions.clear();
  }

  private void closeCursors() {
    for (int i = openCursors.size() - 1; i >= 0; i--) {
      openCursors.get(i).close();
    }
    openCursors.clear();
  }
}
