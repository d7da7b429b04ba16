package io.asyncengine.options;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Defaults applied to every connection an engine hands out (SQLAlchemy's
 * {@code execution_options}): isolation level, statement timeout, fetch size for streaming and
 * read-only mode.
 *
 * <p>Immutable; each {@code with…} method returns a copy in which that option is <em>set</em>.
 * An options value remembers which options were set, so that it can be laid over another one:
 * {@code engine.withOptions(ExecutionOptions.defaults().withReadOnly(true))} changes read-only
 * mode and keeps the engine's isolation, statement timeout and fetch size, as SQLAlchemy's
 * {@code execution_options(...)} keeps what it is not given. Setting an option to its "none"
 * value is still setting it: {@code withStatementTimeout(null)} removes the engine's timeout.
 *
 * <p>An option that is not set reads as its default: {@code null} isolation (the database's
 * own), {@code null} statement timeout (none), fetch size {@code 0} (the dialect's), read-write.
 */
public final class ExecutionOptions {

  /** The options an {@link ExecutionOptions} value may set. */
  public enum Option {
    /** {@link #isolation()}. */
    ISOLATION,
    /** {@link #statementTimeout()}. */
    STATEMENT_TIMEOUT,
    /** {@link #fetchSize()}. */
    FETCH_SIZE,
    /** {@link #readOnly()}. */
    READ_ONLY
  }

  private static final ExecutionOptions DEFAULTS = new ExecutionOptions(null, null, 0, false, EnumSet.noneOf(Option.class));

  private final @Nullable IsolationLevel isolation;
  private final @Nullable Duration statementTimeout;
  private final int fetchSize;
  private final boolean readOnly;
  private final Set<Option> set; // never modified after construction

  private ExecutionOptions(@Nullable IsolationLevel isolation, @Nullable Duration statementTimeout, int fetchSize,
      boolean readOnly, Set<Option> set) {
    this.isolation = isolation;
    this.statementTimeout = statementTimeout;
    this.fetchSize = fetchSize;
    this.readOnly = readOnly;
    this.set = set;
  }

  /** Nothing set: every option reads as its default, and laid over other options changes nothing. */
  public static ExecutionOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with the isolation level of new transactions set ({@code null} for the database's
   * default). Runs on the calling thread.
   */
  public ExecutionOptions withIsolation(@Nullable IsolationLevel level) {
    return new ExecutionOptions(level, statementTimeout, fetchSize, readOnly, plus(Option.ISOLATION));
  }

  /**
   * A copy with the statement timeout set: the longest a statement may run before it is cancelled
   * on the server, or {@code null} for no limit (JDBC counts whole seconds: sub-second values
   * round up). Runs on the calling thread.
   *
   * @throws IllegalArgumentException when {@code timeout} is zero or negative
   */
  public ExecutionOptions withStatementTimeout(@Nullable Duration timeout) {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new ExecutionOptions(isolation, timeout, fetchSize, readOnly, plus(Option.STATEMENT_TIMEOUT));
  }

  /**
   * A copy with the rows fetched per round trip by {@code stream()} set ({@code 0} for the
   * dialect's default). Runs on the calling thread.
   *
   * @throws IllegalArgumentException when {@code rows} is negative
   */
  public ExecutionOptions withFetchSize(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, was " + rows);
    }
    return new ExecutionOptions(isolation, statementTimeout, rows, readOnly, plus(Option.FETCH_SIZE));
  }

  /** A copy with read-only mode set on or off. Runs on the calling thread. */
  public ExecutionOptions withReadOnly(boolean on) {
    return new ExecutionOptions(isolation, statementTimeout, fetchSize, on, plus(Option.READ_ONLY));
  }

  /**
   * These options laid over {@code base}: each option set here takes this value, every other
   * option keeps {@code base}'s value (and whether {@code base} set it). What
   * {@code withOptions(...)} does with the engine's options. Runs on the calling thread.
   *
   * @throws NullPointerException when {@code base} is null
   */
  public ExecutionOptions mergedOver(ExecutionOptions base) {
    Objects.requireNonNull(base, "base must not be null");
    if (set.isEmpty()) {
      return base;
    }
    EnumSet<Option> union = EnumSet.copyOf(base.set);
    union.addAll(set);
    return new ExecutionOptions(
        isSet(Option.ISOLATION) ? isolation : base.isolation,
        isSet(Option.STATEMENT_TIMEOUT) ? statementTimeout : base.statementTimeout,
        isSet(Option.FETCH_SIZE) ? fetchSize : base.fetchSize,
        isSet(Option.READ_ONLY) ? readOnly : base.readOnly,
        union);
  }

  /**
   * Whether {@code option} was set by a {@code with…} call (here or in options this was merged
   * from), as opposed to reading as its default.
   *
   * @throws NullPointerException when {@code option} is null
   */
  public boolean isSet(Option option) {
    return set.contains(Objects.requireNonNull(option, "option must not be null"));
  }

  /** The isolation level of new transactions, or {@code null} for the database's default. */
  public @Nullable IsolationLevel isolation() {
    return isolation;
  }

  /** The longest a statement may run before it is cancelled on the server, or {@code null} for no limit. */
  public @Nullable Duration statementTimeout() {
    return statementTimeout;
  }

  /** Rows fetched per round trip by {@code stream()}; {@code 0} for the dialect's default. */
  public int fetchSize() {
    return fetchSize;
  }

  /** Whether connections are put in read-only mode. */
  public boolean readOnly() {
    return readOnly;
  }

  private Set<Option> plus(Option option) {
    EnumSet<Option> copy = set.isEmpty() ? EnumSet.noneOf(Option.class) : EnumSet.copyOf(set);
    copy.add(option);
    return copy;
  }

  /** Equal when the same options are set to the same values. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ExecutionOptions that
        && isolation == that.isolation
        && Objects.equals(statementTimeout, that.statementTimeout)
        && fetchSize == that.fetchSize
        && readOnly == that.readOnly
        && set.equals(that.set);
  }

  @Override
  public int hashCode() {
    return Objects.hash(isolation, statementTimeout, fetchSize, readOnly, set);
  }

  /** The options that are set, with their values. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("ExecutionOptions[");
    String separator = "";
    for (Option option : set) {
      text.append(separator).append(switch (option) {
        case ISOLATION -> "isolation=" + isolation;
        case STATEMENT_TIMEOUT -> "statementTimeout=" + statementTimeout;
        case FETCH_SIZE -> "fetchSize=" + fetchSize;
        case READ_ONLY -> "readOnly=" + readOnly;
      });
      separator = ", ";
    }
    return text.append(']').toString();
  }
}
