package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.types.JdbcValues;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks parameters against a statement's markers, orders them as the markers expect, and binds
 * them, so that a wrong count, an unknown or missing name, or a map among positional values fails
 * before anything reaches the database. Each value is converted for the driver by {@link
 * JdbcValues}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterBinder {

  private final JdbcValues jdbcValues;

  /**
   * A binder; {@code temporalsAsText} for databases that store dates as text (SQLite).
   */
  public ParameterBinder(boolean temporalsAsText) {
    this.jdbcValues = JdbcValues.of(temporalsAsText);
  }

  /**
   * Orders {@code params} as the markers of {@code sql} expect them.
   *
   * @throws ParameterBindingException naming the statement and what does not fit
   */
  public @Nullable Object[] order(ParsedSql sql, Params params) {
    if (params instanceof Params.Positional positional) {
      @Nullable Object[] values = positional.values();
      refuseNestedParameters(values, sql);
      if (sql.isNamed()) {
        if (values.length == 0) {
          throw new ParameterBindingException(
              "Missing values for named parameters " + describeNames(sql.names()) + " in: " + sql.original());
        }
        throw new ParameterBindingException(
            "Statement uses named parameters " + describeNames(sql.names())
                + " but " + values.length + " positional value(s) were given; pass Params.named(map): "
                + sql.original());
      }
      if (values.length != sql.markerCount()) {
        throw new ParameterBindingException(
            "Statement has " + sql.markerCount() + " parameter marker(s) but " + values.length
                + " value(s) were given: " + sql.original());
      }
      return values;
    }
    Map<String, ?> named = ((Params.Named) params).values();
    if (!sql.isNamed()) {
      if (named.isEmpty() && sql.markerCount() == 0) {
        return new Object[0];
      }
      throw new ParameterBindingException(
          "Statement has " + sql.markerCount() + " positional ? marker(s) but named values "
              + describeNames(named.keySet()) + " were given: " + sql.original());
    }
    List<String> names = sql.names();
    @Nullable Object[] values = new Object[names.size()];
    for (int i = 0; i < values.length; i++) {
      String name = names.get(i);
      Object value = named.get(name);
      if (value == null && !named.containsKey(name)) {
        throw new ParameterBindingException(
            "Missing value for named parameter :" + name + " in: " + sql.original());
      }
      values[i] = value;
    }
    if (named.size() > 0) {
      TreeSet<String> unknown = new TreeSet<>(named.keySet());
      unknown.removeAll(names);
      if (!unknown.isEmpty()) {
        throw new ParameterBindingException(
            "Unknown named parameter(s) " + describeNames(unknown) + "; the statement uses "
                + describeNames(new TreeSet<>(names)) + ": " + sql.original());
      }
    }
    return values;
  }

  /**
   * Binds ordered {@code values} to {@code statement}, 1-based.
   *
   * @throws ParameterBindingException for a value of a type no driver can carry
   * @throws SQLException when the driver rejects a value
   */
  public void bind(PreparedStatement statement, @Nullable Object[] values, String sql) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, jdbcValues.toJdbc(values[i], i + 1, sql));
    }
  }

  /**
   * A {@code Map} or {@code Params} among positional values is a caller who meant named values (or
   * passed parameters twice); no driver can bind it, so say what to do instead.
   */
  private static void refuseNestedParameters(@Nullable Object[] values, ParsedSql sql) {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      if (value instanceof Map<?, ?> || value instanceof Params) {
        String what = value instanceof Map<?, ?> ? "a Map" : "a Params";
        throw new ParameterBindingException("Positional value " + (i + 1) + " is " + what
            + ": values in Object... are positional, always; for :name markers pass"
            + " Params.named(map) to the overload that takes Params: " + sql.original());
      }
    }
  }

  private static String describeNames(Iterable<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      out.add(":" + name);
    }
    return String.join(", ", out);
  }
}
