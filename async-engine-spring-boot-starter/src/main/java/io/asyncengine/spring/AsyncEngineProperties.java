package io.asyncengine.spring;

import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.options.IsolationLevel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code async-engine.*} properties. Read once, on the main thread, while the context starts;
 * {@link AsyncEngineAutoConfiguration} checks them then and fails the startup with the property's
 * name when one is out of range.
 */
@ConfigurationProperties("async-engine")
public class AsyncEngineProperties {

  /** Whether to auto-configure the AsyncEngine and AsyncSessionFactory beans. */
  private boolean enabled = true;

  /**
   * JDBC URL of a pool the starter creates. When the application configures no DataSource, that
   * pool becomes its DataSource; when it has one, the engine gets this pool for itself instead of
   * wrapping the application's. Unset: wrap the application's DataSource, or use the SQLite file.
   */
  private @Nullable String url;

  /** Database user of the engine's own pool. */
  private @Nullable String username;

  /** Database password of the engine's own pool. */
  private @Nullable String password;

  /** Default per-statement timeout of every connection; unset means none. */
  private @Nullable Duration statementTimeout;

  /** Default isolation level of every connection; unset keeps the driver's. */
  private @Nullable IsolationLevel isolationLevel;

  /** Whether to log every statement, its parameters and time on the io.asyncengine.sql logger. */
  private boolean echo;

  /** Prepared statements kept per physical connection, across checkouts; 0 disables the cache. */
  private int statementCacheSize = 64;

  /** Pool settings, used only for pools the starter creates (async-engine.url or the SQLite file). */
  private final Pool pool = new Pool();

  /** The zero-configuration SQLite database. */
  private final Sqlite sqlite = new Sqlite();

  /** Which threads run database work. */
  private final Executor executor = new Executor();

  /** Settings of the sessions the AsyncSessionFactory bean opens. */
  private final Session session = new Session();

  /** Shutdown settings. */
  private final Shutdown shutdown = new Shutdown();

  /** Translation of database errors into Spring's DataAccessException hierarchy. */
  private final ExceptionTranslation exceptionTranslation = new ExceptionTranslation();

  /** Propagation of the caller's thread-bound context to the engine's threads. */
  private final ContextPropagation contextPropagation = new ContextPropagation();

  /** Micrometer Observations of the engine's operations. */
  private final Observations observations = new Observations();

  /** The asyncEngine health indicator. */
  private final Health health = new Health();

  /**
   * Fails the startup with the property's name when a value is out of range.
   *
   * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the first value out of range
   */
  void validate() {
    positive("async-engine.pool.max-size", pool.maxSize);
    if (pool.minIdle != null && pool.minIdle < 0) {
      invalid("async-engine.pool.min-idle", pool.minIdle, "must be zero or more");
    }
    if (executor.maxConcurrency != null) {
      positive("async-engine.executor.max-concurrency", executor.maxConcurrency);
    }
    if (executor.platformThreads != null) {
      positive("async-engine.executor.platform-threads", executor.platformThreads);
    }
    if (statementCacheSize < 0) {
      invalid("async-engine.statement-cache-size", statementCacheSize, "must be zero (off) or more");
    }
    notNegative("async-engine.statement-timeout", statementTimeout);
    notNegative("async-engine.shutdown.grace-period", shutdown.gracePeriod);
    notNegative("async-engine.pool.connection-timeout", pool.connectionTimeout);
    notNegative("async-engine.health.timeout", health.timeout);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      invalid(name, value, "must be at least 1");
    }
  }

  private static void notNegative(String name, @Nullable Duration value) {
    if (value != null && value.isNegative()) {
      invalid(name, value, "must not be negative");
    }
  }

  private static void invalid(String name, Object value, String reason) {
    throw new org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException(
        name, value, reason);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getUrl() {
    return url;
  }

  public void setUrl(@Nullable String url) {
    this.url = url;
  }

  public @Nullable String getUsername() {
    return username;
  }

  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  public @Nullable String getPassword() {
    return password;
  }

  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  public @Nullable Duration getStatementTimeout() {
    return statementTimeout;
  }

  public void setStatementTimeout(@Nullable Duration statementTimeout) {
    this.statementTimeout = statementTimeout;
  }

  public @Nullable IsolationLevel getIsolationLevel() {
    return isolationLevel;
  }

  public void setIsolationLevel(@Nullable IsolationLevel isolationLevel) {
    this.isolationLevel = isolationLevel;
  }

  public boolean isEcho() {
    return echo;
  }

  public void setEcho(boolean echo) {
    this.echo = echo;
  }

  public int getStatementCacheSize() {
    return statementCacheSize;
  }

  public void setStatementCacheSize(int statementCacheSize) {
    this.statementCacheSize = statementCacheSize;
  }

  public Pool getPool() {
    return pool;
  }

  public Sqlite getSqlite() {
    return sqlite;
  }

  public Executor getExecutor() {
    return executor;
  }

  public Session getSession() {
    return session;
  }

  public Shutdown getShutdown() {
    return shutdown;
  }

  public ContextPropagation getContextPropagation() {
    return contextPropagation;
  }

  public Observations getObservations() {
    return observations;
  }

  public ExceptionTranslation getExceptionTranslation() {
    return exceptionTranslation;
  }

  public Health getHealth() {
    return health;
  }

  /** HikariCP settings of a pool the starter creates. */
  public static class Pool {

    /** Maximum connections in the pool. */
    private int maxSize = 10;

    /** Idle connections kept ready; unset means max-size. */
    private @Nullable Integer minIdle;

    /** How long to wait for a connection before the operation fails. */
    private Duration connectionTimeout = Duration.ofSeconds(30);

    /** Connections older than this are retired. */
    private Duration maxLifetime = Duration.ofMinutes(30);

    /** Idle connections above min-idle are closed after this. */
    private Duration idleTimeout = Duration.ofMinutes(10);

    /** How long a connection validation may take. */
    private Duration validationTimeout = Duration.ofSeconds(5);

    /** The pool's name in logs and in the hikaricp.connections metrics' pool tag. */
    private String name = "async-engine";

    public int getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(int maxSize) {
      this.maxSize = maxSize;
    }

    public @Nullable Integer getMinIdle() {
      return minIdle;
    }

    public void setMinIdle(@Nullable Integer minIdle) {
      this.minIdle = minIdle;
    }

    public Duration getConnectionTimeout() {
      return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
    }

    public Duration getMaxLifetime() {
      return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public Duration getValidationTimeout() {
      return validationTimeout;
    }

    public void setValidationTimeout(Duration validationTimeout) {
      this.validationTimeout = validationTimeout;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  /** The SQLite file used when the application configures no database. */
  public static class Sqlite {

    /** Path of the SQLite database file; its directory is created when missing. */
    private String path = "./data/async-engine.db";

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** Executor settings. */
  public static class Executor {

    /**
     * Which threads run database work: virtual, platform, or auto (virtual threads for socket
     * drivers, platform threads for SQLite, whose native calls pin virtual threads' carriers).
     */
    private ExecutorMode mode = ExecutorMode.AUTO;

    /** Connections out at once through the engine's admission gate; unset means the pool's maximum size. */
    private @Nullable Integer maxConcurrency;

    /** Threads of the platform executor; unset means the pool's maximum size. */
    private @Nullable Integer platformThreads;

    /**
     * Whether futures of a platform executor complete on virtual threads, so continuations never
     * run on (or block) the engine's platform threads. Costs a hand-off to a virtual thread per
     * operation.
     */
    private boolean virtualContinuations = true;

    /**
     * Whether PostgreSQL connections used on virtual threads get a socket whose reads wait actively
     * for a moment for the server's answer before parking (pgjdbc's socketFactory; only for pools
     * configured by URL without a socketFactory of their own).
     */
    private boolean spinSocketReads = true;

    public ExecutorMode getMode() {
      return mode;
    }

    public void setMode(ExecutorMode mode) {
      this.mode = mode;
    }

    public @Nullable Integer getMaxConcurrency() {
      return maxConcurrency;
    }

    public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
    }

    public @Nullable Integer getPlatformThreads() {
      return platformThreads;
    }

    public void setPlatformThreads(@Nullable Integer platformThreads) {
      this.platformThreads = platformThreads;
    }

    public boolean isVirtualContinuations() {
      return virtualContinuations;
    }

    public void setVirtualContinuations(boolean virtualContinuations) {
      this.virtualContinuations = virtualContinuations;
    }

    public boolean isSpinSocketReads() {
      return spinSocketReads;
    }

    public void setSpinSocketReads(boolean spinSocketReads) {
      this.spinSocketReads = spinSocketReads;
    }
  }

  /** Session settings. */
  public static class Session {

    /** Whether commit expires every loaded object, so the next access re-reads it. */
    private boolean expireOnCommit = true;

    /** Whether queries flush pending changes first. */
    private boolean autoflush = true;

    public boolean isExpireOnCommit() {
      return expireOnCommit;
    }

    public void setExpireOnCommit(boolean expireOnCommit) {
      this.expireOnCommit = expireOnCommit;
    }

    public boolean isAutoflush() {
      return autoflush;
    }

    public void setAutoflush(boolean autoflush) {
      this.autoflush = autoflush;
    }
  }

  /** Shutdown settings. */
  public static class Shutdown {

    /** How long work in flight may run on after shutdown starts before it is aborted. */
    private Duration gracePeriod = Duration.ofSeconds(30);

    public Duration getGracePeriod() {
      return gracePeriod;
    }

    public void setGracePeriod(Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
    }
  }

  /** Exception translation settings. */
  public static class ExceptionTranslation {

    /** Whether driver errors become Spring DataAccessExceptions instead of the engine's own exceptions. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Health indicator settings. */
  public static class Health {

    /** How long the health check may wait for a connection and its validation. */
    private Duration timeout = Duration.ofSeconds(5);

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** Context propagation settings. */
  public static class ContextPropagation {

    /**
     * Whether the SLF4J MDC, the Micrometer context-propagation snapshot (tracing, security, when
     * the library is present) and the application's TaskDecorator bean follow each call into the
     * engine's threads, its statement echo and its continuations.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Micrometer Observation settings. */
  public static class Observations {

    /**
     * Whether each engine operation and connection acquisition is a Micrometer Observation
     * (asyncengine.operations, asyncengine.connections.acquire), when an ObservationRegistry bean
     * exists. The asyncengine.operations timer then comes from these observations.
     */
    private boolean enabled = true;

    /**
     * Whether the statement's parameter values are added to each observation as the high-cardinality
     * key db.params. Off by default: values can be personal data or secrets.
     */
    private boolean includeParameters;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isIncludeParameters() {
      return includeParameters;
    }

    public void setIncludeParameters(boolean includeParameters) {
      this.includeParameters = includeParameters;
    }
  }
}
