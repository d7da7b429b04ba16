package io.asyncengine.core;

import io.asyncengine.dialect.Dialect;
import io.asyncengine.error.ExceptionTranslator;
import io.asyncengine.options.ExecutionOptions;
import java.util.Objects;

/**
 * The settings of a synchronous {@link Engine} beyond its pool: dialect, per-connection defaults,
 * echo logging, statement cache size and exception translation. Immutable.
 *
 * @param dialect what differs between databases
 * @param options defaults applied to every connection
 * @param echo log every statement, its parameters and time at INFO on {@code io.asyncengine.sql};
 *     also lets parameter values appear in error messages
 * @param statementCacheSize prepared statements kept per physical connection (0 disables)
 * @param exceptionTranslator turns driver exceptions into the exceptions callers see; {@code null}
 *     for the dialect's default
 */
public record EngineConfig(
    Dialect dialect,
    ExecutionOptions options,
    boolean echo,
    int statementCacheSize,
    ExceptionTranslator exceptionTranslator) {

  /** The default statement cache size per connection. */
  public static final int DEFAULT_STATEMENT_CACHE_SIZE = 64;

  /**
   * Validates and fills defaults.
   *
   * @throws NullPointerException when {@code dialect} is null
   * @throws IllegalArgumentException when the cache size is negative
   */
  public EngineConfig {
    Objects.requireNonNull(dialect, "dialect");
    options = options == null ? ExecutionOptions.defaults() : options;
    if (statementCacheSize < 0) {
      throw new IllegalArgumentException("statementCacheSize must be >= 0, was " + statementCacheSize);
    }
    exceptionTranslator = exceptionTranslator == null ? dialect.exceptionTranslator() : exceptionTranslator;
  }

  /**
   * A copy with {@code newOptions} as the per-connection defaults, as given (not merged; see
   * {@link ExecutionOptions#mergedOver}).
   */
  public EngineConfig withOptions(ExecutionOptions newOptions) {
    return new EngineConfig(dialect, newOptions, echo, statementCacheSize, exceptionTranslator);
  }
}
