package io.asyncengine.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of one execution: positional values for {@code ?} markers, or named values for
 * {@code :name} markers (SQLAlchemy's {@code text()} style).
 *
 * <p>Positional values are passed directly ({@code execute(sql, 1, "x")}); named values go through
 * this type ({@code execute(sql, Params.named(Map.of("id", 1)))}), never as a bare {@code Map}, so
 * that a value is never mistaken for a set of names. {@code Params} is also how a batch
 * ({@code executeMany}) lists one row of values per execution. Values are always sent as bound
 * parameters, never spliced into the SQL.
 *
 * <p>Immutable and thread-safe (the positional array is copied; map values are not deep-copied).
 */
public sealed interface Params permits Params.Positional, Params.Named {

  /** Values for {@code ?} markers, in order. {@code null} elements bind SQL NULL. */
  static Params of(@Nullable Object @Nullable ... values) {
    return new Positional(values == null ? new @Nullable Object[] {null} : values.clone());
  }

  /**
   * Values for {@code :name} markers, keyed by name without the colon. A {@code null} value binds
   * SQL NULL. The map is copied. Runs on the calling thread.
   *
   * @throws NullPointerException when {@code values} is null
   * @throws IllegalArgumentException when a key of {@code values} is null or not a {@code String}
   *     (possible through raw types)
   */
  static Params named(Map<String, ?> values) {
    Objects.requireNonNull(values, "values must not be null");
    for (Object key : values.keySet()) {
      if (!(key instanceof String)) {
        throw new IllegalArgumentException("values must have String keys (parameter names), found "
            + (key == null ? "null" : key + " (" + key.getClass().getName() + ")"));
      }
    }
    return new Named(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /** No parameters. */
  static Params none() {
    return Positional.EMPTY;
  }

  /**
   * The values of a varargs parameter list, each one a positional value for a {@code ?} marker (a
   * {@code null} array is one NULL value). The array is not copied. A {@code Map} or {@code Params}
   * among the values is refused when the statement is bound, with a
   * {@link io.asyncengine.error.ParameterBindingException} that names the {@code Params} overloads
   * ({@code execute(sql, Params.named(map))}): it is never read as named values.
   */
  static Params fromVarargs(@Nullable Object @Nullable [] args) {
    if (args == null) {
      return new Positional(new @Nullable Object[] {null});
    }
    return args.length == 0 ? Positional.EMPTY : new Positional(args);
  }

  /** A printable form for logs and error messages. */
  String describe();

  /** Positional values for {@code ?} markers. */
  record Positional(@Nullable Object[] values) implements Params {
    static final Positional EMPTY = new Positional(new Object[0]);

    /** Wraps the array without copying it; the engine's own entry points use this. */
    public Positional {
      Objects.requireNonNull(values, "values");
    }

    @Override
    public String describe() {
      return ParamsFormat.describe(values);
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Positional p && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /** Named values for {@code :name} markers. */
  record Named(Map<String, ?> values) implements Params {
    /** Wraps the map without copying it. */
    public Named {
      Objects.requireNonNull(values, "values");
    }

    @Override
    public String describe() {
      return ParamsFormat.describe(values);
    }
  }
}
