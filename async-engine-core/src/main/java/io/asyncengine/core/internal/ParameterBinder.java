package io.asyncengine.core.internal;

import io.asyncengine.core.Params;
import io.asyncengine.error.ParameterBindingException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Checks parameters against a statement's markers and binds them, so that a wrong count or an
 * unknown or missing name fails before anything reaches the database.
 *
 * <p>Values are normalised to what every driver accepts: enums bind their name, {@link Instant}
 * binds as a UTC {@link OffsetDateTime}, and on databases without temporal types (SQLite) java.time
 * values bind as ISO-8601 text, which SQLite's date functions understand and which sorts correctly.
 * A value of a type no JDBC driver can carry fails with {@link ParameterBindingException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ParameterBinder {

  // "2024-01-02 10:11:12" with a fraction only when there is one: the form SQLite's own
  // datetime() writes, so stored values compare and sort as text.
  private static final DateTimeFormatter SQLITE_DATETIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private final boolean temporalsAsText;

  /**
   * A binder; {@code temporalsAsText} for databases that store dates as text (SQLite).
   */
  public ParameterBinder(boolean temporalsAsText) {
    this.temporalsAsText = temporalsAsText;
  }

  /**
   * Orders {@code params} as the markers of {@code sql} expect them.
   *
   * @throws ParameterBindingException naming the statement and what does not fit
   */
  public Object[] order(ParsedSql sql, Params params) {
    if (params instanceof Params.Positional positional) {
      Object[] values = positional.values();
      if (sql.isNamed()) {
        if (values.length == 0) {
          throw new ParameterBindingException(
              "Missing values for named parameters " + describeNames(sql.names()) + " in: " + sql.original());
        }
        throw new ParameterBindingException(
            "Statement uses named parameters " + describeNames(sql.names())
                + " but " + values.length + " positional value(s) were given; pass a Map: " + sql.original());
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
    Object[] values = new Object[names.size()];
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
  public void bind(PreparedStatement statement, Object[] values, String sql) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, toJdbc(values[i], i + 1, sql));
    }
  }

  private Object toJdbc(Object value, int position, String sql) {
    if (value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Boolean
        || value instanceof Double
        || value instanceof BigDecimal
        || value instanceof byte[]
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Float) {
      return value;
    }
    if (value instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString();
    }
    if (value instanceof Enum<?> constant) {
      return constant.name();
    }
    if (value instanceof UUID uuid) {
      return temporalsAsText ? uuid.toString() : uuid;
    }
    if (value instanceof Temporal temporal) {
      return temporal(temporal, position, sql);
    }
    if (value instanceof java.util.Date
        || value instanceof java.sql.Blob
        || value instanceof java.sql.Clob
        || value instanceof java.sql.Array
        || value instanceof InputStream
        || value instanceof Reader) {
      return value;
    }
    throw new ParameterBindingException(
        "Cannot bind a value of type " + value.getClass().getName() + " to parameter " + position
            + "; bind a String, number, boolean, byte[], UUID, enum or java.time value: " + sql);
  }

  private Object temporal(Temporal value, int position, String sql) {
    if (value instanceof Instant instant) {
      value = OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    } else if (value instanceof ZonedDateTime zoned) {
      value = zoned.toOffsetDateTime();
    }
    if (!temporalsAsText) {
      if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime
          || value instanceof OffsetDateTime) {
        return value;
      }
    } else {
      if (value instanceof LocalDateTime dateTime) {
        return SQLITE_DATETIME.format(dateTime);
      }
      if (value instanceof OffsetDateTime offset) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(offset);
      }
      if (value instanceof LocalDate || value instanceof LocalTime) {
        return value.toString();
      }
    }
    throw new ParameterBindingException(
        "Cannot bind a value of type " + value.getClass().getName() + " to parameter " + position + ": " + sql);
  }

  private static String describeNames(Iterable<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      out.add(":" + name);
    }
    return String.join(", ", out);
  }
}
