package io.asyncengine.types;

import io.asyncengine.error.ParameterBindingException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Converts a Java value to what every JDBC driver accepts in {@code PreparedStatement.setObject}:
 * the write side of conversion ({@link TypeConverter} is the read side).
 *
 * <p>Bindable: {@code null}, {@link String} and other {@link CharSequence}s, {@link Character},
 * the boxed numbers, {@link BigDecimal}, {@link BigInteger} (as a {@code BigDecimal}), {@link
 * Boolean}, {@code byte[]}, {@link UUID}, enums (their name), java.time values, the legacy {@code
 * java.util.Date} family, {@link java.sql.Blob}, {@link java.sql.Clob}, {@link java.sql.Array},
 * {@link InputStream} and {@link Reader}. {@link Instant} binds as a UTC {@link OffsetDateTime}
 * and {@link ZonedDateTime} as its {@code OffsetDateTime}. For databases without temporal types
 * (SQLite) java.time values bind as ISO-8601 text, which SQLite's date functions understand and
 * which sorts correctly ({@code 2024-01-02 10:11:12}, a fraction only when there is one), and
 * UUIDs as their text.
 *
 * <p>Thread: immutable; safe from any thread.
 */
public final class JdbcValues {

  // "2024-01-02 10:11:12" with a fraction only when there is one: the form SQLite's own
  // datetime() writes, so stored values compare and sort as text.
  private static final DateTimeFormatter SQLITE_DATETIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private static final JdbcValues NATIVE_TEMPORALS = new JdbcValues(false);
  private static final JdbcValues TEMPORALS_AS_TEXT = new JdbcValues(true);

  private final boolean temporalsAsText;

  private JdbcValues(boolean temporalsAsText) {
    this.temporalsAsText = temporalsAsText;
  }

  /**
   * The conversion for a database; {@code temporalsAsText} for one that stores dates as text
   * (SQLite).
   */
  public static JdbcValues of(boolean temporalsAsText) {
    return temporalsAsText ? TEMPORALS_AS_TEXT : NATIVE_TEMPORALS;
  }

  /**
   * {@code value} as the driver should receive it for parameter {@code position} of {@code sql}.
   * Any thread.
   *
   * @throws ParameterBindingException naming the type, the position and the statement, for a value
   *     of a type no driver can carry
   */
  public @Nullable Object toJdbc(@Nullable Object value, int position, String sql) {
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
        "Cannot bind a value of type " + value.getClass().getName() + " to parameter " + position
            + ": " + sql);
  }
}
