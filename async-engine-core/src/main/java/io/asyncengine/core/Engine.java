package io.asyncengine.core;

import io.asyncengine.core.internal.ParameterBinder;
import io.asyncengine.core.internal.Pool;
import io.asyncengine.core.internal.ServerSessions;
import io.asyncengine.core.internal.SqlLog;
import io.asyncengine.core.internal.SqlParser;
import io.asyncengine.core.internal.StatementCaches;
import io.asyncengine.core.internal.StatementTimeouts;
import io.asyncengine.core.internal.WriterQueue;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.RetryPolicy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The synchronous engine (SQLAlchemy's {@code Engine}, what {@code AsyncEngine.sync()} returns): a
 * connection pool plus the settings every connection gets. Built by {@link #builder()} or
 * {@link #create(String)}; the async facade builds one the same way and wraps it, as
 * {@code create_async_engine} does. Blocking; meant for virtual threads or for code handed to
 * {@code runSync}.
 *
 * <p>Thread-safe: any number of threads may call {@link #connect()} at once. Each
 * {@link SqlConnection} is for one thread at a time.
 */
public final class Engine implements AutoCloseable {

  private final Pool pool;
  private final EngineConfig config;
  private final SqlParser parser;
  private final ParameterBinder binder;
  private final SqlLog log;
  private final ServerSessions sessions;
  private final @Nullable WriterQueue writers; // null unless the database allows a single writer
  private final StatementCaches statementCaches;
  private final StatementTimeouts timeouts;

  private Engine(Pool pool, EngineConfig config, SqlParser parser, ServerSessions sessions,
      @Nullable WriterQueue writers, StatementCaches statementCaches) {
    this.pool = pool;
    this.sessions = sessions;
    this.writers = writers;
    this.statementCaches = statementCaches;
    this.config = config;
    this.parser = parser;
    this.binder = new ParameterBinder(config.dialect().name().equals("sqlite"));
    this.log = new SqlLog(config.echo());
    this.timeouts = new StatementTimeouts(config.options().statementTimeout(), config.dialect().honoursQueryTimeout());
  }

  /**
   * An engine for {@code jdbcUrl} with default settings (SQLAlchemy's {@code create_engine(url)}).
   * Blocking: starts the pool on the calling thread.
   *
   * @throws io.asyncengine.error.OperationalException when the pool cannot start (driver missing,
   *     database unreachable)
   * @throws NullPointerException when {@code jdbcUrl} is null
   */
  public static Engine create(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
    return builder().url(jdbcUrl).build();
  }

  /** A builder for an engine with a pool of its own, or over an existing {@code DataSource}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The engine over {@code pool}, with the helpers every connection of it shares. */
  static Engine create(Pool pool, EngineConfig config) {
    Duration writerTimeout = config.dialect().singleWriterTimeout();
    SqlParser parser = new SqlParser(config.dialect().lexing(), config.dialect()::wantsGeneratedKeys);
    return new Engine(pool, config, parser, new ServerSessions(config.dialect(), pool),
        writerTimeout == null ? null : new WriterQueue(writerTimeout), new StatementCaches(config.statementCacheSize()));
  }

  /**
   * Borrows a connection from the pool, blocking up to the pool's connection timeout. The
   * connection autobegins a transaction on first use (SQLAlchemy 2.0); closing it rolls back what
   * was not committed and returns it to the pool.
   *
   * @throws ResourceClosedException when the engine was closed
   * @throws io.asyncengine.error.PoolTimeoutException when no connection became free in time
   * @throws io.asyncengine.error.OperationalException when the database cannot be reached
   */
  public SqlConnection connect() {
    Connection jdbc = pool.borrow();
    try {
      return new SqlConnection(this, jdbc);
    } catch (RuntimeException e) {
      closeQuietly(jdbc);
      throw e;
    }
  }

  /**
   * Borrows a connection with a transaction begun ({@code engine.begin()}); the caller commits and
   * closes it.
   *
   * @throws ResourceClosedException when the engine was closed
   * @throws io.asyncengine.error.PoolTimeoutException when no connection became free in time
   */
  public SqlConnection begin() {
    SqlConnection connection = connect();
    try {
      connection.begin();
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Runs {@code work} in a transaction on a connection of its own: commits when it returns, rolls
   * back when it throws (and rethrows), always returns the connection. Runs on the calling thread.
   *
   * @return what {@code work} returned
   * @throws NullPointerException when {@code work} is null
   */
  public <T extends @Nullable Object> T inTransaction(Function<? super SqlConnection, ? extends T> work) {
    Objects.requireNonNull(work, "work must not be null");
    try (SqlConnection connection = connect()) {
      return connection.runInTransaction(work);
    }
  }

  /**
   * {@link #inTransaction(Function)}, run again as {@code policy} allows when it fails: each attempt
   * is a whole new transaction on a connection of its own. Retried are serialization failures and
   * deadlocks and, only under {@link RetryPolicy#idempotent()}, a connection lost before COMMIT was
   * sent; never a {@link io.asyncengine.error.CommitOutcomeUnknownException}. Between attempts the
   * calling thread sleeps the policy's jittered backoff, holding no connection. The last
   * attempt's failure is thrown, the earlier ones added as suppressed.
   *
   * @return what {@code work} returned in the attempt that committed
   * @throws io.asyncengine.error.AsyncEngineException what ended the loop
   * @throws java.util.concurrent.CancellationException when the thread is interrupted during a
   *     backoff (the interrupt flag is set again)
   */
  public <T extends @Nullable Object> T inTransaction(Function<? super SqlConnection, ? extends T> work,
      RetryPolicy policy) {
    Objects.requireNonNull(work, "work must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    List<RuntimeException> earlier = new ArrayList<>(0);
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(work);
      } catch (RuntimeException e) {
        if (attempt >= policy.maxAttempts() || !policy.isRetryable(e)) {
          earlier.forEach(e::addSuppressed);
          throw e;
        }
        earlier.add(e);
      }
      try {
        Thread.sleep(policy.backoff(attempt));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        CancellationException cancelled = new CancellationException("Interrupted while waiting to retry the transaction");
        earlier.forEach(cancelled::addSuppressed);
        throw cancelled;
      }
    }
  }

  /**
   * A view of this engine whose connections get other defaults (SQLAlchemy's
   * {@code execution_options}): the options set in {@code options} override this engine's, every
   * option it does not set keeps this engine's value ({@link ExecutionOptions#mergedOver}). It
   * shares the pool: closing either closes both. Runs on the calling thread; does not block.
   *
   * @throws NullPointerException when {@code options} is null
   */
  public Engine withOptions(ExecutionOptions options) {
    Objects.requireNonNull(options, "options must not be null");
    return new Engine(pool, config.withOptions(options.mergedOver(config.options())), parser, sessions, writers,
        statementCaches);
  }

  /** The per-connection defaults, with what every {@link #withOptions} up to this view set. */
  public ExecutionOptions options() {
    return config.options();
  }

  /** The engine's settings. */
  public EngineConfig config() {
    return config;
  }

  /** The database dialect. */
  public Dialect dialect() {
    return config.dialect();
  }

  /** The pool connections come from (a {@code HikariDataSource} unless one was wrapped). */
  public DataSource dataSource() {
    return pool.dataSource();
  }

  /**
   * The most connections the pool hands out at once: HikariCP's maximum pool size (1 for a private
   * in-memory database), or for a wrapped {@code DataSource} of another kind, the builder's
   * {@code maxPoolSize}. Never blocks.
   */
  public int maxPoolSize() {
    return pool.maxSize();
  }

  /**
   * A snapshot of the pool: connections checked out, idle, in total, threads waiting (SQLAlchemy's
   * {@code pool.status()}), read from HikariCP (found behind a wrapping proxy too); {@code -1} for
   * counts a non-HikariCP data source does not tell. The gate is {@code null}: only an
   * {@code AsyncEngine} has one. Never blocks; any thread.
   */
  public PoolStatus poolStatus() {
    return pool.status();
  }

  /** How long {@link #connect()} waits for a free connection: the builder's {@code connectionTimeout}. */
  public Duration connectionTimeout() {
    return pool.connectionTimeout();
  }

  /** Whether {@link #close()} has been called on this engine or one of its views. */
  public boolean isClosed() {
    return pool.isClosed();
  }

  /**
   * Closes the pool when the engine created it; idempotent. Connections still checked out are
   * closed by HikariCP as they come back.
   */
  @Override
  public void close() {
    pool.close();
  }

  Pool pool() {
    return pool;
  }

  /** The prepared statements of the pool's physical connections, kept across checkouts. */
  StatementCaches statementCaches() {
    return statementCaches;
  }

  @Nullable WriterQueue writers() {
    return writers;
  }

  /** The server sessions of the pool's connections, killed when the engine abandons one. */
  ServerSessions sessions() {
    return sessions;
  }

  SqlParser parser() {
    return parser;
  }

  ParameterBinder binder() {
    return binder;
  }

  SqlLog log() {
    return log;
  }

  StatementTimeouts timeouts() {
    return timeouts;
  }

  /**
   * Configures an {@link Engine}; see {@link EngineSettings} for the settings. Not thread-safe;
   * {@link #build()} may be called once.
   */
  public static final class Builder extends EngineSettings<Builder> {

    private Builder() {}

    /**
     * Starts the pool (or inspects the wrapped one) and returns the engine. Blocking.
     *
     * @throws IllegalStateException when neither a URL nor a data source was given, or both
     * @throws IllegalArgumentException for a non-positive pool size, a negative statement cache
     *     size or a timeout HikariCP refuses
     * @throws io.asyncengine.error.OperationalException when the pool cannot start: driver
     *     missing, database unreachable
     */
    public Engine build() {
      return buildEngine();
    }
  }

  private static void closeQuietly(Connection jdbc) {
    try {
      jdbc.close();
    } catch (Exception ignored) {
      // Already failing; the original exception is the one to report.
    }
  }
}
