package io.asyncengine.core;

import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.IsolationLevel;

import io.asyncengine.core.internal.CoreAccess;
import io.asyncengine.core.internal.OperationControl;
import io.asyncengine.core.internal.ParsedSql;
import io.asyncengine.core.internal.ResultReader;
import io.asyncengine.core.internal.ServerSessions;
import io.asyncengine.internal.Timers;
import io.asyncengine.core.internal.StatementCache;
import io.asyncengine.core.internal.WriterQueue;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.result.ColumnLabels;
import io.asyncengine.result.Result;
import io.asyncengine.result.Row;
import io.asyncengine.result.RowCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
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
 * :name} markers take a map ({@code execute(sql, Map.of("id", 1))}). Every value is bound, never
 * spliced into the SQL. A wrong count, a missing or unknown name fails with {@link
 * io.asyncengine.error.ParameterBindingException} before anything reaches the database.
 *
 * <p>Thread: not thread-safe; use it from one thread at a time (the async facade runs it on the
 * connection's lane). Only {@link #cancelStatement()} and the state getters may be called from
 * other threads.
 */
public final class SqlConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqlConnection.class);

  static {
    CoreAccess.install(connection -> connection.control);
  }

  private final OperationControl control = new OperationControl() {
    @Override
    public void cancelOperation() {
      SqlConnection.this.cancelOperation();
    }

    @Override
    public void recoverFromCancel() {
      SqlConnection.this.recoverFromCancel();
    }

    @Override
    public void endOperation() {
      SqlConnection.this.endOperation();
    }
  };

  private final Engine engine;
  private final Dialect dialect;
  private final Connection jdbc;
  private final ServerSessions.Session session;
  private final StatementCache statements;
  private final ExecutionOptions options;
  private final List<ResultSetCursor> openCursors = new ArrayList<>(1);
  private final Deque<Transaction> savepoints = new ArrayDeque<>();

  private volatile Transaction root;
  private volatile boolean closed;
  private volatile Statement running;
  // Set by cancelOperation(), cleared by endOperation(): a cancel that lands between two
  // statements of one operation still stops the next one (volatile pair with `running`).
  private volatile boolean operationCancelled;
  private boolean readOnlyApplied;
  private boolean autocommit; // IsolationLevel.AUTOCOMMIT: no autobegin, the driver commits each statement
  private ResultSetCursor cursorTransactionOwner; // in autocommit mode, the cursor whose transaction is open
  private final WriterQueue writers; // null unless the database allows a single writer
  private final AtomicBoolean holdsWriterPermit = new AtomicBoolean(); // this transaction has written

  SqlConnection(Engine engine, Connection jdbc) {
    this.engine = engine;
    this.dialect = engine.dialect();
    this.jdbc = jdbc;
    this.session = engine.sessions().register(jdbc);
    this.options = engine.options();
    this.statements = engine.statementCaches().of(jdbc);
    this.writers = engine.writers();
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
      throw translate("connect", null, null, e);
    }
  }

  // ---------------------------------------------------------------- statements

  /**
   * Runs one statement with positional values for its {@code ?} markers (or a single
   * {@link Params} or {@code Map} argument) and buffers its result.
   *
   * @return the rows of a query; for DML the affected row count and generated keys
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors, naming the SQL
   * @throws ResourceClosedException when the connection is closed
   */
  public Result execute(String sql, Object... params) {
    return execute(sql, Params.fromVarargs(params));
  }

  /**
   * Runs one statement with values for its {@code :name} markers. Same contract as {@link
   * #execute(String, Object...)}; a marker missing from the map, or a key no marker uses, fails.
   */
  public Result execute(String sql, Map<String, ?> params) {
    return execute(sql, Params.named(params));
  }

  /** Runs one statement with prepared {@link Params}. Same contract as {@link #execute(String, Object...)}. */
  public Result execute(String sql, Params params) {
    ensureOpen();
    ParsedSql parsed = engine.parser().parse(sql);
    Object[] values = engine.binder().order(parsed, params);
    boolean wantsKeys = parsed.generatedKeys();
    autobegin();
    if (!parsed.query()) {
      awaitWriterTurn();
    }
    long start = System.nanoTime();
    PreparedStatement statement = null;
    boolean hasRows;
    try {
      statement = statements.prepare(parsed.jdbcSql(), wantsKeys);
      applyTimeout(statement);
      engine.binder().bind(statement, values, sql);
      startRunning(statement);
      ScheduledFuture<?> timer = startTimer(statement);
      Result result;
      ResultSet queried = null;
      try {
        // executeQuery for a plain SELECT: sqlite-jdbc's generic execute() scans the SQL for
        // generated keys with a regex on every call.
        if (parsed.query()) {
          queried = statement.executeQuery();
          hasRows = true;
        } else {
          hasRows = statement.execute();
        }
      } finally {
        stopTimer(timer);
      }
      if (hasRows) {
        try (ResultSet resultSet = queried != null ? queried : statement.getResultSet()) {
          ColumnLabels labels = statements.labels(statement, resultSet);
          result = new Result(labels, ResultReader.readAll(resultSet, labels), -1, null);
        }
      } else {
        long count = statement.getUpdateCount();
        Result keys = null;
        if (wantsKeys) {
          try (ResultSet generated = statement.getGeneratedKeys()) {
            ColumnLabels labels = ResultReader.labels(generated);
            keys = new Result(labels, ResultReader.readAll(generated, labels), -1, null);
          }
        }
        result = new Result(ColumnLabels.empty(), List.of(), count, keys);
      }
      engine.log().statement(sql, params, System.nanoTime() - start, "ok");
      return result;
    } catch (SQLException e) {
      engine.log().statement(sql, params, System.nanoTime() - start, "failed");
      statements.discard(parsed.jdbcSql(), wantsKeys);
      statement = null;
      throw translate("execute", sql, params, e);
    } finally {
      running = null;
      if (statement != null && !statements.isCaching()) {
        closeQuietly(statement);
      }
      if (root == null) {
        releaseWriterTurn(); // autocommit: the statement was its own transaction
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
   */
  public int[] executeMany(String sql, List<? extends Params> batch) {
    ensureOpen();
    ParsedSql parsed = engine.parser().parse(sql);
    List<Object[]> rows = new ArrayList<>(batch.size());
    for (Params params : batch) {
      rows.add(engine.binder().order(parsed, params));
    }
    if (rows.isEmpty()) {
      return new int[0];
    }
    autobegin();
    awaitWriterTurn();
    long start = System.nanoTime();
    PreparedStatement statement = null;
    try {
      statement = statements.prepare(parsed.jdbcSql(), false);
      applyTimeout(statement);
      for (Object[] values : rows) {
        engine.binder().bind(statement, values, sql);
        statement.addBatch();
      }
      startRunning(statement);
      ScheduledFuture<?> timer = startTimer(statement);
      int[] counts;
      try {
        counts = statement.executeBatch();
      } finally {
        stopTimer(timer);
      }
      engine.log().statement(sql, rows.size() + " parameter sets", System.nanoTime() - start, "ok");
      return counts;
    } catch (SQLException e) {
      engine.log().statement(sql, rows.size() + " parameter sets", System.nanoTime() - start, "failed");
      statements.discard(parsed.jdbcSql(), false);
      statement = null;
      throw translate("executeMany", sql, null, e);
    } finally {
      running = null;
      if (statement != null) {
        try {
          statement.clearBatch();
        } catch (SQLException ignored) {
          // The statement is reused from the cache; a failure here surfaces on its next use.
        }
        if (!statements.isCaching()) {
          closeQuietly(statement);
        }
      }
      if (root == null) {
        releaseWriterTurn(); // autocommit: the batch ran without a transaction
      }
    }
  }

  /**
   * The first column of the first row converted to {@code type}, or {@code null} when there is no
   * row. Same contract as {@link #execute(String, Object...)}.
   */
  public <T> T scalar(Class<T> type, String sql, Object... params) {
    return execute(sql, Params.fromVarargs(params)).scalar(type);
  }

  /** {@link #scalar(Class, String, Object...)} with named parameters. */
  public <T> T scalar(Class<T> type, String sql, Map<String, ?> params) {
    return execute(sql, Params.named(params)).scalar(type);
  }

  /** The first column of every row converted to {@code type}. */
  public <T> List<T> scalars(Class<T> type, String sql, Object... params) {
    return execute(sql, Params.fromVarargs(params)).scalars(type);
  }

  /** {@link #scalars(Class, String, Object...)} with named parameters. */
  public <T> List<T> scalars(Class<T> type, String sql, Map<String, ?> params) {
    return execute(sql, Params.named(params)).scalars(type);
  }

  // ---------------------------------------------------------------- streaming

  /**
   * Opens a server-side cursor over a query: rows are fetched {@code fetchSize} at a time as the
   * cursor is read, so memory stays flat for any row count. The cursor must be closed (or read to
   * the end); closing the connection closes it.
   *
   * @throws io.asyncengine.error.ParameterBindingException when the values do not fit the markers
   * @throws io.asyncengine.error.AsyncEngineException subclasses for database errors
   */
  public RowCursor cursor(String sql, Params params) {
    ensureOpen();
    ParsedSql parsed = engine.parser().parse(sql);
    Object[] values = engine.binder().order(parsed, params);
    // Autocommit mode: a cursor runs in a transaction of its own (PostgreSQL streams only inside one).
    boolean ownTransaction = autocommit && root == null;
    if (ownTransaction) {
      begin();
    } else {
      autobegin();
    }
    long start = System.nanoTime();
    PreparedStatement statement = null;
    try {
      statement = jdbc.prepareStatement(parsed.jdbcSql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      int fetchSize = options.fetchSize() > 0 ? options.fetchSize() : dialect.defaultFetchSize();
      dialect.prepareForStreaming(statement, fetchSize);
      applyTimeout(statement);
      engine.binder().bind(statement, values, sql);
      startRunning(statement);
      ScheduledFuture<?> timer = startTimer(statement);
      ResultSet resultSet;
      try {
        resultSet = statement.executeQuery();
      } finally {
        stopTimer(timer);
      }
      ResultSetCursor cursor = new ResultSetCursor(this, sql, statement, resultSet, ResultReader.labels(resultSet));
      openCursors.add(cursor);
      if (ownTransaction) {
        cursorTransactionOwner = cursor;
      }
      engine.log().statement(sql, params, System.nanoTime() - start, "cursor open");
      return cursor;
    } catch (SQLException e) {
      engine.log().statement(sql, params, System.nanoTime() - start, "failed");
      if (statement != null) {
        closeQuietly(statement);
      }
      throw translate("stream", sql, params, e);
    } finally {
      running = null;
      if (ownTransaction && cursorTransactionOwner == null) {
        endQuietly(false); // the cursor did not open: end the transaction begun for it
      }
    }
  }

  /**
   * The rows of a query as a lazily fetched {@link Stream} over a server-side cursor. Close the
   * stream (try-with-resources) to release the cursor early.
   */
  public Stream<Row> stream(String sql, Object... params) {
    return cursor(sql, Params.fromVarargs(params)).stream();
  }

  /** {@link #stream(String, Object...)} with named parameters. */
  public Stream<Row> stream(String sql, Map<String, ?> params) {
    return cursor(sql, Params.named(params)).stream();
  }

  /** The first column of each row of a streamed query, converted to {@code type}. */
  public <T> Stream<T> streamScalars(Class<T> type, String sql, Object... params) {
    return stream(sql, params).map(row -> row.get(0, type));
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
    if (root != null) {
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
    root = new Transaction(this, null);
    return root;
  }

  /**
   * Opens a nested transaction (a SAVEPOINT), beginning the outer transaction first if needed.
   *
   * @throws io.asyncengine.error.AsyncEngineException when the database refuses the savepoint
   */
  public Transaction beginNested() {
    ensureOpen();
    if (autocommit && root == null) {
      begin();
    }
    autobegin();
    try {
      Savepoint savepoint = jdbc.setSavepoint();
      engine.log().event("SAVEPOINT");
      Transaction nested = new Transaction(this, savepoint);
      savepoints.push(nested);
      return nested;
    } catch (SQLException e) {
      throw translate("beginNested", null, null, e);
    }
  }

  /**
   * Runs {@code work} in a transaction on this connection: begins one (or joins the one already
   * open), commits when {@code work} returns, rolls back when it throws and rethrows.
   *
   * @return what {@code work} returned
   */
  public <T> T runInTransaction(Function<? super SqlConnection, ? extends T> work) {
    if (root == null) {
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

  /** Commits the current transaction, if there is one. */
  public void commit() {
    ensureOpen();
    Transaction current = root;
    if (current != null) {
      current.commit();
    }
  }

  /** Rolls back the current transaction, if there is one. */
  public void rollback() {
    ensureOpen();
    Transaction current = root;
    if (current != null) {
      current.rollback();
    }
  }

  /** Whether a transaction is open (begun explicitly or by a statement). Any thread. */
  public boolean inTransaction() {
    return root != null;
  }

  /** Whether a SAVEPOINT is open. Any thread. */
  public boolean inNestedTransaction() {
    return !savepoints.isEmpty();
  }

  /** The current transaction, or {@code null}. */
  public Transaction transaction() {
    return root;
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
   */
  public SqlConnection withIsolation(IsolationLevel level) {
    ensureOpen();
    if (root != null) {
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
    Statement statement = running;
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Statement cancel failed", e);
      }
    }
  }

  /** See {@link OperationControl#endOperation()}. */
  private void endOperation() {
    operationCancelled = false;
  }

  /** See {@link OperationControl#cancelOperation()}. */
  private void cancelOperation() {
    operationCancelled = true;
    cancelStatement();
  }

  /** See {@link OperationControl#recoverFromCancel()}. */
  private void recoverFromCancel() {
    if (closed) {
      return;
    }
    operationCancelled = false;
    if (!openCursors.isEmpty()) {
      // A cursor cut off mid-stream: closing it cleanly means reading the rest of the rows
      // (MariaDB's streaming results) or waiting for the server; abort the connection instead.
      abortAndEvict();
      return;
    }
    try {
      if (root != null) {
        engine.log().event("ROLLBACK (cancelled)");
        endTransaction(false);
      }
    } catch (SQLException | RuntimeException e) {
      if (stillUsable()) {
        return; // e.g. SQLite rolls back an interrupted transaction itself: nothing left to roll back
      }
      LOG.warn("Rolling back after a cancel failed; evicting the connection: {}", e.toString());
      invalidate();
    }
  }

  /** Closes the socket at once (no draining of unread rows) and evicts the connection. */
  private void abortAndEvict() {
    closed = true;
    engine.log().event("ABORT (cancelled while streaming)");
    forgetTransaction();
    openCursors.clear();
    killSession();
    try {
      jdbc.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Aborting a connection failed", e);
    }
    engine.pool().evict(jdbc);
    closeQuietly(jdbc);
  }

  /**
   * The engine gives up on this physical connection while a statement may still run on it: end
   * the server session too (MariaDB keeps running {@code SLEEP}, or a stream blocked writing to the
   * dropped socket, after the client is gone). Asynchronous; a no-op for dialects without sessions.
   */
  private void killSession() {
    engine.sessions().kill(session);
  }

  private boolean stillUsable() {
    try {
      return !jdbc.isClosed() && jdbc.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
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
    killSession();
    closeCursors();
    statements.clear();
    engine.pool().evict(jdbc);
    closeQuietly(jdbc);
    releaseWriterTurn(); // closing the JDBC connection ended its transaction
  }

  /** Whether the connection has been closed or invalidated. Any thread. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes open cursors, rolls back an open transaction and returns the connection to the pool;
   * idempotent. A connection whose rollback fails is evicted rather than returned.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeCursors();
    boolean healthy = true;
    try {
      if (root != null) {
        engine.log().event("ROLLBACK (close)");
        endTransaction(false);
      }
      if (readOnlyApplied) {
        dialect.setReadOnly(jdbc, false);
      }
    } catch (SQLException | RuntimeException e) {
      healthy = stillUsable(); // SQLite ends an interrupted transaction itself; its rollback then fails harmlessly
      if (!healthy) {
        LOG.warn("Cleaning up a connection failed; evicting it from the pool: {}", e.toString());
      }
    }
    if (!healthy) {
      statements.clear();
      killSession();
      engine.pool().evict(jdbc);
    }
    closeQuietly(jdbc);
    releaseWriterTurn(); // a transaction that failed to end still holds it
  }

  // ---------------------------------------------------------------- package-private plumbing

  void commitTransaction(Transaction transaction) {
    ensureOpen();
    try {
      if (transaction.isNested()) {
        popSavepointsAbove(transaction);
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
      throw translate("commit", null, null, e);
    }
  }

  void rollbackTransaction(Transaction transaction) {
    ensureOpen();
    try {
      if (transaction.isNested()) {
        popSavepointsAbove(transaction);
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

  /** Rolls back after {@code cause}, adding a rollback failure to it as suppressed. */
  void rollbackQuietly(Throwable cause) {
    if (closed || root == null) {
      return;
    }
    try {
      root.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  void running(Statement statement) {
    running = statement;
    if (statement != null && operationCancelled) {
      // A cursor fetch after its operation was cancelled: stop the query on the server too, so
      // closing a streaming result (MariaDB reads the rest of it) is quick.
      running = null;
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Statement cancel failed", e);
      }
      throw new io.asyncengine.error.StatementTimeoutException("The operation was cancelled; the cursor fetch was stopped");
    }
  }

  /** Publishes {@code statement} as running, unless the operation was cancelled before it started. */
  private void startRunning(Statement statement) {
    running = statement;
    if (operationCancelled) {
      running = null;
      throw new io.asyncengine.error.StatementTimeoutException("The operation was cancelled before this statement started");
    }
  }

  void cursorClosed(ResultSetCursor cursor) {
    openCursors.remove(cursor);
    if (cursor == cursorTransactionOwner) {
      cursorTransactionOwner = null;
      endQuietly(true); // autocommit mode: the cursor's own transaction ends with it
    }
  }

  /** Ends the root transaction if one is open, logging instead of throwing (cleanup paths). */
  private void endQuietly(boolean commit) {
    if (root == null || closed) {
      return;
    }
    try {
      engine.log().event(commit ? "COMMIT (cursor closed)" : "ROLLBACK (cursor failed)");
      endTransaction(commit);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Ending the transaction of a cursor failed", e);
    }
  }

  RuntimeException translate(String operation, String sql, Params params, SQLException e) {
    String shown = params != null && engine.log().echo() ? params.describe() : null;
    return engine.config().exceptionTranslator().translate(operation, sql, shown, e);
  }

  void ensureOpen() {
    if (closed) {
      throw new ResourceClosedException("This connection is closed");
    }
  }

  private void autobegin() {
    if (root == null && !autocommit) {
      root = new Transaction(this, null);
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
    releaseWriterTurn();
    Transaction ended = root;
    root = null;
    while (!savepoints.isEmpty()) {
      savepoints.pop().markEnded();
    }
    if (ended != null) {
      ended.markEnded();
    }
  }

  private void popSavepointsAbove(Transaction nested) {
    if (!savepoints.contains(nested)) {
      throw new InvalidRequestException("This nested transaction is no longer active");
    }
    while (savepoints.peek() != nested) {
      savepoints.pop().markEnded();
    }
    savepoints.pop();
  }

  /**
   * Before the transaction's first write on a single-writer database (SQLite): queue for the
   * engine's writer permit, held until the transaction ends (see {@link WriterQueue}).
   */
  private void awaitWriterTurn() {
    if (writers != null && !holdsWriterPermit.get()) {
      writers.acquire(() -> operationCancelled);
      holdsWriterPermit.set(true);
    }
  }

  private void releaseWriterTurn() {
    // Compare-and-set: invalidate() may race a close on the lane, and a permit must go back once.
    if (holdsWriterPermit.compareAndSet(true, false)) {
      writers.release();
    }
  }

  private void applyTimeout(Statement statement) throws SQLException {
    int seconds = queryTimeoutSeconds(options.statementTimeout());
    if (seconds > 0 && dialect.honoursQueryTimeout()) {
      statement.setQueryTimeout(seconds);
    }
  }

  /** A cancel timer for drivers that ignore the query timeout while a statement runs; else null. */
  private ScheduledFuture<?> startTimer(Statement statement) {
    if (options.statementTimeout() == null || dialect.honoursQueryTimeout()) {
      return null;
    }
    return Timers.after(options.statementTimeout(), () -> {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException ignored) {
        // The statement finished or its connection broke meanwhile: nothing left to stop.
      }
    });
  }

  private static void stopTimer(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void closeCursors() {
    for (int i = openCursors.size() - 1; i >= 0; i--) {
      openCursors.get(i).close();
    }
    openCursors.clear();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Cleanup after a failure or on close; the pool deals with a broken connection.
    }
  }

  /** JDBC's query timeout is whole seconds: round up, so a timeout is never shortened to none. */
  private static int queryTimeoutSeconds(java.time.Duration timeout) {
    if (timeout == null) {
      return 0;
    }
    long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, seconds);
  }
}
