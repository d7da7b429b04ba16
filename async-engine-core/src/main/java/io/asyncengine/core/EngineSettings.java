package io.asyncengine.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.core.internal.Pool;
import io.asyncengine.core.internal.PoolFactory;
import io.asyncengine.core.internal.PoolSettings;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.error.OperationalException;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.IsolationLevel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The settings an {@link Engine} is built from (SQLAlchemy's {@code create_engine} arguments):
 * where connections come from (a JDBC URL, for a HikariCP pool the engine owns, or an existing
 * {@code DataSource} it wraps and leaves open), pool sizing and timeouts, and per-connection
 * defaults. {@link Engine.Builder} builds a synchronous engine from them; the async facade's
 * builder extends this class with its executor settings and wraps the engine it builds, so both
 * take the same settings under the same names.
 *
 * <p>Every setter returns this builder, typed as the concrete builder {@code B}. Not thread-safe:
 * configure and build on one thread.
 *
 * @param <B> the concrete builder
 */
public abstract class EngineSettings<B extends EngineSettings<B>> {

  private @Nullable String url;
  private @Nullable String username;
  private @Nullable String password;
  private @Nullable DataSource dataSource;
  private int maxPoolSize = 10;
  private @Nullable Integer minIdle;
  private Duration connectionTimeout = Duration.ofSeconds(30);
  private Duration maxLifetime = Duration.ofMinutes(30);
  private Duration idleTimeout = Duration.ofMinutes(10);
  private Duration validationTimeout = Duration.ofSeconds(5);
  private @Nullable String poolName;
  private final Map<String, String> driverProperties = new LinkedHashMap<>();
  private ExecutionOptions options = ExecutionOptions.defaults();
  private boolean echo;
  private int statementCacheSize = EngineConfig.DEFAULT_STATEMENT_CACHE_SIZE;
  private @Nullable Dialect dialect;
  private @Nullable ExceptionTranslator exceptionTranslator;

  /** Settings at their defaults; for the builders that extend this class. */
  protected EngineSettings() {}

  /**
   * The JDBC URL of the pool the engine creates, e.g. {@code jdbc:postgresql://host/db}.
   *
   * @throws NullPointerException when {@code jdbcUrl} is null
   */
  public final B url(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
    this.url = jdbcUrl;
    return self();
  }

  /**
   * The database user.
   *
   * @throws NullPointerException when {@code username} is null
   */
  public final B username(String username) {
    Objects.requireNonNull(username, "username must not be null");
    this.username = username;
    return self();
  }

  /**
   * The database password; never logged.
   *
   * @throws NullPointerException when {@code password} is null
   */
  public final B password(String password) {
    Objects.requireNonNull(password, "password must not be null");
    this.password = password;
    return self();
  }

  /**
   * Wraps an existing pool instead of creating one; the engine will not close it.
   *
   * @throws NullPointerException when {@code dataSource} is null
   */
  public final B dataSource(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource must not be null");
    this.dataSource = dataSource;
    return self();
  }

  /** Maximum pool size (SQLAlchemy's {@code pool_size + max_overflow}); default 10. */
  public final B maxPoolSize(int size) {
    this.maxPoolSize = size;
    return self();
  }

  /** Idle connections kept ready; default equal to {@link #maxPoolSize(int)} (HikariCP's advice). */
  public final B minIdle(int connections) {
    this.minIdle = connections;
    return self();
  }

  /**
   * How long to wait for a connection before {@code PoolTimeoutException}; default 30 s.
   *
   * @throws NullPointerException when {@code timeout} is null
   */
  public final B connectionTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    this.connectionTimeout = timeout;
    return self();
  }

  /**
   * Connections older than this are retired (SQLAlchemy's {@code pool_recycle}); default 30 min.
   *
   * @throws NullPointerException when {@code lifetime} is null
   */
  public final B maxLifetime(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime must not be null");
    this.maxLifetime = lifetime;
    return self();
  }

  /**
   * Idle connections above {@code minIdle} are closed after this; default 10 min.
   *
   * @throws NullPointerException when {@code timeout} is null
   */
  public final B idleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    this.idleTimeout = timeout;
    return self();
  }

  /**
   * How long a connection validation (SQLAlchemy's {@code pool_pre_ping}) may take; default 5 s.
   *
   * @throws NullPointerException when {@code timeout} is null
   */
  public final B validationTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    this.validationTimeout = timeout;
    return self();
  }

  /**
   * The pool's name in logs and metrics; default {@code async-engine-<dialect>}.
   *
   * @throws NullPointerException when {@code name} is null
   */
  public final B poolName(String name) {
    Objects.requireNonNull(name, "name must not be null");
    this.poolName = name;
    return self();
  }

  /**
   * A driver property passed to the JDBC driver (e.g. {@code sslmode}); wins over the dialect's.
   *
   * @throws NullPointerException when {@code name} or {@code value} is null
   */
  public final B driverProperty(String name, String value) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(value, "value must not be null");
    this.driverProperties.put(name, value);
    return self();
  }

  /** Log every statement, its parameters and time on {@code io.asyncengine.sql} (SQLAlchemy's {@code echo}). */
  public final B echo(boolean on) {
    this.echo = on;
    return self();
  }

  /**
   * Per-connection defaults: isolation, statement timeout, fetch size, read-only. The options set
   * in {@code options} override what earlier calls set; the others are kept
   * ({@link ExecutionOptions#mergedOver}).
   *
   * @throws NullPointerException when {@code options} is null
   */
  public final B options(ExecutionOptions options) {
    this.options = Objects.requireNonNull(options, "options must not be null").mergedOver(this.options);
    return self();
  }

  /** Shortcut for {@code options(options.withIsolation(level))}. */
  public final B isolationLevel(@Nullable IsolationLevel level) {
    this.options = options.withIsolation(level);
    return self();
  }

  /**
   * Shortcut for {@code options(options.withStatementTimeout(timeout))}.
   *
   * @throws IllegalArgumentException when {@code timeout} is zero or negative
   */
  public final B statementTimeout(@Nullable Duration timeout) {
    this.options = options.withStatementTimeout(timeout);
    return self();
  }

  /** Prepared statements kept per physical connection, across checkouts; default 64, 0 disables. */
  public final B statementCacheSize(int size) {
    this.statementCacheSize = size;
    return self();
  }

  /**
   * Overrides the dialect detected from the URL or the database's product name.
   *
   * @throws NullPointerException when {@code dialect} is null
   */
  public final B dialect(Dialect dialect) {
    Objects.requireNonNull(dialect, "dialect must not be null");
    this.dialect = dialect;
    return self();
  }

  /**
   * Translates driver exceptions (the Spring starter raises Spring's types this way).
   *
   * @throws NullPointerException when {@code translator} is null
   */
  public final B exceptionTranslator(ExceptionTranslator translator) {
    Objects.requireNonNull(translator, "translator must not be null");
    this.exceptionTranslator = translator;
    return self();
  }

  /**
   * Validates the settings and builds the synchronous engine: starts the HikariCP pool for the URL,
   * or asks the wrapped data source for its database when no dialect was given. The builders'
   * {@code build()} call it once. Blocking; runs on the calling thread.
   *
   * @throws IllegalStateException when neither a URL nor a data source was given, or both
   * @throws IllegalArgumentException for a non-positive pool size, a negative statement cache size
   *     or a timeout HikariCP refuses
   * @throws OperationalException when the pool cannot start (driver missing, database unreachable)
   *     or the wrapped data source cannot be inspected
   */
  protected final Engine buildEngine() {
    if ((url == null) == (dataSource == null)) {
      throw new IllegalStateException(url == null
          ? "Set url(jdbcUrl) or dataSource(dataSource) before build()"
          : "Set either url(...) or dataSource(...), not both");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
    Dialect resolved = dialect != null ? dialect
        : dataSource != null ? PoolFactory.detect(dataSource) : Dialect.forJdbcUrl(url);
    EngineConfig config = new EngineConfig(resolved, options, echo, statementCacheSize, exceptionTranslator);
    if (dataSource != null) {
      return Engine.create(new Pool(dataSource, false, maxPoolSize, connectionTimeout), config);
    }
    HikariDataSource pool = PoolFactory.start(poolConfig(resolved));
    return Engine.create(new Pool(pool, true, pool.getMaximumPoolSize(), connectionTimeout), config);
  }

  /**
   * The HikariCP configuration {@code build()} starts its pool with: URL, credentials, sizing and
   * timeouts, the dialect's driver properties under the ones given here, auto-commit matching the
   * isolation default. For an application that starts and owns the pool itself (to register it as
   * a bean, bind its metrics, customise it) and then hands it to {@code dataSource(...)}. Starts
   * nothing; runs on the calling thread.
   *
   * @throws IllegalStateException when no URL was given
   */
  public final HikariConfig hikariConfig() {
    if (url == null) {
      throw new IllegalStateException("Set url(jdbcUrl) before hikariConfig()");
    }
    return poolConfig(dialect != null ? dialect : Dialect.forJdbcUrl(url));
  }

  private HikariConfig poolConfig(Dialect resolved) {
    // The connections' resting state matches the default, so a checkout toggles nothing.
    boolean autoCommit = options.isolation() == IsolationLevel.AUTOCOMMIT;
    return PoolFactory.config(new PoolSettings(url, username, password, autoCommit, maxPoolSize, minIdle,
        connectionTimeout, maxLifetime, idleTimeout, validationTimeout, poolName, driverProperties), resolved);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
