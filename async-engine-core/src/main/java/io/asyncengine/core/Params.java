package io.asyncengine.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of one execution: positional values for {@code ?} markers, or named values for
 * {@code :name} markers (SQLAlchemy's {@code text()} style).
 *
 * <p>Single executions take the values directly ({@code execute(sql, 1, "x")} or
 * {@code execute(sql, Map.of("id", 1))}); {@code Params} is how a batch ({@code executeMany}) lists
 * one row of values per execution. Values are always sent as bound parameters, never spliced into
 * the SQL.
 *
 * <p>Immutable and thread-safe (the positional array is copied; map values are not deep-copied).
 */
public sealed interface Params permits Params.Positional, Params.Named {

  /** Values for {@code ?} markers, in order. {@code null} elements bind SQL NULL. */
  static Params of(Object... values) {
    return new Positional(values == null ? new Object[] {null} : values.clone());
  }

  /** Values for {@code :name} markers. A {@code null} value binds SQL NULL. */
  static Params named(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    return new Named(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /** No parameters. */
  static Params none() {
    return Positional.EMPTY;
  }

  /**
   * How the engine reads a varargs parameter list: a single {@code Params} argument is used as is, a
   * single {@code Map} argument means named values, anything else is positional values (a
   * {@code null} array is one NULL value). The array is not copied.
   *
   * @throws io.asyncengine.error.ParameterBindingException for a map with non-string keys
   */
  static Params fromVarargs(Object[] args) {
    if (args == null) {
      return new Positional(new Object[] {null});
    }
    if (args.length == 1) {
      if (args[0] instanceof Params given) {
        return given;
      }
      if (args[0] instanceof Map<?, ?> map) {
        for (Object key : map.keySet()) {
          if (!(key instanceof String)) {
            throw new io.asyncengine.error.ParameterBindingException(
                "Named parameter keys must be strings, found " + (key == null ? "null" : key.getClass().getName()));
          }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> named = (Map<String, ?>) map;
        return named(named);
      }
    }
    return args.length == 0 ? Positional.EMPTY : new Positional(args);
  }

  /** A printable form for logs and error messages. */
  String describe();

  /** Positional values for {@code ?} markers. */
  record Positional(Object[] values) implements Params {
    static final Positional EMPTY = new Positional(new Object[0]);

    /** Wraps the array without copying it; the engine's own entry points use this. */
    public Positional {
      Objects.requireNonNull(values, "values");
    }

    /** The values as an unmodifiable list. */
    public List<Object> asList() {
      return Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public String describe() {
      return ParamsFormat.describe(values);
    }

    @Override
    public boolean equals(Object other) {
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
