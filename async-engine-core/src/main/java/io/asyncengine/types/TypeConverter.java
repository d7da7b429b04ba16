package io.asyncengine.types;

import io.asyncengine.error.MappingException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Converts a value read with {@code ResultSet.getObject} (sqlite-jdbc, pgjdbc, MariaDB
 * Connector/J) to the Java type a record component, POJO property or scalar result asks for: the
 * read side of conversion ({@link JdbcValues} is the write side).
 *
 * <p>Supported targets ({@link #isSimpleType}): primitives and their boxes, {@link String},
 * {@link Character}, {@link Number}, {@link BigDecimal}, {@link BigInteger}, {@link LocalDate},
 * {@link LocalDateTime}, {@link LocalTime}, {@link Instant}, {@link OffsetDateTime}, {@link
 * ZonedDateTime}, {@link java.util.Date}, {@link java.sql.Date}, {@link Time}, {@link Timestamp},
 * {@link UUID}, enums, {@code byte[]} and {@link Object} (the value unchanged).
 *
 * <p>Numbers: any {@link Number}, a numeric string (trimmed) or a {@link Boolean} (1 / 0) converts
 * to any numeric type; narrowing to an integral type fails rather than wrapping or dropping a
 * fraction. Booleans: from 0 / 1, or the strings true/false, t/f, 1/0, yes/no, y/n in any case
 * (SQLite stores booleans as integers).
 *
 * <p>Dates and times. Strings are ISO-8601, with a space or {@code T} between date and time, an
 * optional fraction and an optional offset ({@code Z}, {@code +02}, {@code +0200}, {@code +02:00}):
 * what SQLite stores as text and what PostgreSQL and MariaDB print. Numbers are always epoch
 * <em>milliseconds</em>, which is what sqlite-jdbc writes when a {@code java.sql.Date} or {@code
 * Timestamp} is bound. Zone rule: local types are UTC. A value without an offset converted to
 * {@link Instant}, {@link OffsetDateTime} or {@link ZonedDateTime} is taken as UTC; an instant, an
 * epoch number or a value with an offset converted to a local type is first moved to UTC. The
 * legacy {@code java.util.Date} family is the exception, because drivers build it in the JVM's
 * default zone: {@code Timestamp} becomes a local type through {@link Timestamp#toLocalDateTime()}
 * and an instant through {@link Timestamp#toInstant()}, {@code java.sql.Date} through {@link
 * java.sql.Date#toLocalDate()}, {@code Time} through {@link Time#toLocalTime()}; converting to
 * them goes the opposite way ({@link Timestamp#valueOf(LocalDateTime)}, {@link
 * Timestamp#from(Instant)}). Converting a date-time to {@link LocalDate} drops the time.
 *
 * <p>Every failure is a {@link MappingException} whose message names the value's type, the target
 * and the problem; the value is printed by {@link ValueText}'s rule (cut after {@value
 * ValueText#MAX_CHARS} characters).
 *
 * <p>Thread: stateless apart from a per-target cache that is safe to share; safe from any thread.
 */
public final class TypeConverter {

  /** Converts a non-null value that is not already an instance of the target. */
  @FunctionalInterface
  private interface Strategy {
    Object convert(Object value, Class<?> target);
  }

  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart()
      .appendLiteral('T')
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
      .optionalEnd()
      .toFormatter(Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT)
      .withChronology(IsoChronology.INSTANCE);

  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
      .toFormatter(Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);

  private static final ClassValue<Strategy> STRATEGIES = new ClassValue<>() {
    @Override
    protected Strategy computeValue(Class<?> type) {
      return strategyFor(type);
    }
  };

  private TypeConverter() {
  }

  /**
   * Converts {@code value} to {@code target}; an instance of the target is returned as is.
   *
   * @return the converted value; {@code null} when {@code value} is null and the target is not
   *     primitive
   * @throws MappingException if the value is null and the target primitive, if the types are not
   *     convertible, or if the value does not fit the target (overflow, fraction, bad text)
   * @throws NullPointerException if {@code target} is null
   */
  @SuppressWarnings("unchecked")
  public static <T> @Nullable T convert(@Nullable Object value, Class<T> target) {
    if (value == null) {
      if (target.isPrimitive()) {
        throw new MappingException("NULL cannot be converted to " + target.getName());
      }
      return null;
    }
    if (target.isInstance(value)) {
      return (T) value;
    }
    try {
      return (T) STRATEGIES.get(target).convert(value, target);
    } catch (MappingException e) {
      throw e;
    } catch (RuntimeException e) {
      // A JDK conversion failed in a way the strategy did not foresee (DateTimeException, ...).
      throw new MappingException(describeFailure(value, target, "cannot be converted (" + e + ")"),
          null, e);
    }
  }

  /**
   * Whether {@code type} is read from a single column by {@link #convert} rather than built from
   * several columns: see the class comment for the list.
   *
   * @throws NullPointerException if {@code type} is null
   */
  public static boolean isSimpleType(Class<?> type) {
    return STRATEGIES.get(type) != UNSUPPORTED;
  }

  private static final Strategy UNSUPPORTED = (value, target) -> {
    throw cannotConvert(value, target);
  };

  private static Strategy strategyFor(Class<?> type) {
    if (type.isEnum()) {
      return enumStrategy(type);
    }
    if (type == Object.class) {
      return (value, target) -> value;
    }
    if (type == int.class || type == Integer.class) {
      return TypeConverter::toInteger;
    }
    if (type == long.class || type == Long.class) {
      return TypeConverter::toLong;
    }
    if (type == short.class || type == Short.class) {
      return TypeConverter::toShort;
    }
    if (type == byte.class || type == Byte.class) {
      return TypeConverter::toByte;
    }
    if (type == double.class || type == Double.class) {
      return TypeConverter::toDouble;
    }
    if (type == float.class || type == Float.class) {
      return TypeConverter::toFloat;
    }
    if (type == boolean.class || type == Boolean.class) {
      return TypeConverter::toBoolean;
    }
    if (type == char.class || type == Character.class) {
      return TypeConverter::toCharacter;
    }
    if (type == BigDecimal.class || type == Number.class) {
      return TypeConverter::toBigDecimal;
    }
    if (type == BigInteger.class) {
      return TypeConverter::toBigInteger;
    }
    if (type == String.class) {
      return TypeConverter::toStringValue;
    }
    if (type == LocalDate.class) {
      return (value, target) -> toLocalDate(localSource(value, target), value, target);
    }
    if (type == LocalDateTime.class) {
      return (value, target) -> toLocalDateTime(localSource(value, target), value, target);
    }
    if (type == LocalTime.class) {
      return (value, target) -> toLocalTime(localSource(value, target), value, target);
    }
    if (type == Instant.class) {
      return (value, target) -> toInstant(instantSource(value, target), value, target);
    }
    if (type == OffsetDateTime.class) {
      return TypeConverter::toOffsetDateTime;
    }
    if (type == ZonedDateTime.class) {
      return TypeConverter::toZonedDateTime;
    }
    if (type == Timestamp.class) {
      return TypeConverter::toTimestamp;
    }
    if (type == Date.class) {
      return (value, target) -> new Date(toTimestamp(value, target).getTime());
    }
    if (type == java.sql.Date.class) {
      return (value, target) ->
          java.sql.Date.valueOf(toLocalDate(localSource(value, target), value, target));
    }
    if (type == Time.class) {
      return (value, target) -> Time.valueOf(toLocalTime(localSource(value, target), value, target));
    }
    if (type == UUID.class) {
      return TypeConverter::toUuid;
    }
    if (type == byte[].class) {
      return TypeConverter::toBytes;
    }
    return UNSUPPORTED;
  }

  // ---- numbers ----

  private static Object toInteger(Object value, Class<?> target) {
    if (value instanceof Integer) {
      return value;
    }
    long v = toLongExact(value, target);
    if (v != (int) v) {
      throw outOfRange(value, target);
    }
    return (int) v;
  }

  private static Object toLong(Object value, Class<?> target) {
    return value instanceof Long ? value : toLongExact(value, target);
  }

  private static Object toShort(Object value, Class<?> target) {
    if (value instanceof Short) {
      return value;
    }
    long v = toLongExact(value, target);
    if (v != (short) v) {
      throw outOfRange(value, target);
    }
    return (short) v;
  }

  private static Object toByte(Object value, Class<?> target) {
    if (value instanceof Byte) {
      return value;
    }
    long v = toLongExact(value, target);
    if (v != (byte) v) {
      throw outOfRange(value, target);
    }
    return (byte) v;
  }

  /** The value as a long, failing on a fraction, an overflow or a non-number. */
  private static long toLongExact(Object value, Class<?> target) {
    if (value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal decimal) {
      return toLongExact(decimal, value, target);
    }
    if (value instanceof BigInteger integer) {
      if (integer.bitLength() > 63) {
        throw outOfRange(value, target);
      }
      return integer.longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        throw new MappingException(describeFailure(value, target, "is not a finite number"));
      }
      if (d != Math.rint(d)) {
        throw new MappingException(describeFailure(value, target, "has a fractional part"));
      }
      if (d < -0x1p63 || d >= 0x1p63) {
        throw outOfRange(value, target);
      }
      return (long) d;
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof CharSequence text) {
      String s = text.toString().trim();
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return toLongExact(parseDecimal(s, value, target), value, target);
      }
    }
    if (value instanceof Number number) {
      return toLongExact(parseDecimal(number.toString(), value, target), value, target);
    }
    throw cannotConvert(value, target);
  }

  private static long toLongExact(BigDecimal decimal, Object value, Class<?> target) {
    if (decimal.signum() != 0 && decimal.scale() > 0 && decimal.stripTrailingZeros().scale() > 0) {
      throw new MappingException(describeFailure(value, target, "has a fractional part"));
    }
    try {
      return decimal.longValueExact();
    } catch (ArithmeticException e) {
      throw outOfRange(value, target);
    }
  }

  private static Object toDouble(Object value, Class<?> target) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (Double.isInfinite(d) && !(value instanceof Double || value instanceof Float)) {
        throw outOfRange(value, target);
      }
      return d;
    }
    if (value instanceof Boolean b) {
      return b ? 1d : 0d;
    }
    if (value instanceof CharSequence text) {
      try {
        return Double.parseDouble(text.toString().trim());
      } catch (NumberFormatException e) {
        throw notANumber(value, target);
      }
    }
    throw cannotConvert(value, target);
  }

  private static Object toFloat(Object value, Class<?> target) {
    if (value instanceof Float) {
      return value;
    }
    double d = (Double) toDouble(value, target);
    float f = (float) d;
    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
      throw outOfRange(value, target);
    }
    return f;
  }

  private static Object toBigDecimal(Object value, Class<?> target) {
    if (value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new MappingException(describeFailure(value, target, "is not a finite number"));
      }
      // valueOf uses the shortest decimal that round-trips: 0.1 stays 0.1.
      return BigDecimal.valueOf(d);
    }
    if (value instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (value instanceof CharSequence text) {
      return parseDecimal(text.toString().trim(), value, target);
    }
    if (value instanceof Number number) {
      return parseDecimal(number.toString(), value, target);
    }
    throw cannotConvert(value, target);
  }

  private static Object toBigInteger(Object value, Class<?> target) {
    if (value instanceof BigDecimal decimal) {
      try {
        return decimal.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new MappingException(describeFailure(value, target, "has a fractional part"));
      }
    }
    if (value instanceof CharSequence || value instanceof Double || value instanceof Float) {
      return toBigInteger(toBigDecimal(value, target), target);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return BigInteger.valueOf(toLongExact(value, target));
    }
    throw cannotConvert(value, target);
  }

  private static BigDecimal parseDecimal(String text, Object value, Class<?> target) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw notANumber(value, target);
    }
  }

  // ---- booleans, characters, strings ----

  private static Object toBoolean(Object value, Class<?> target) {
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number) {
      BigDecimal decimal = (BigDecimal) toBigDecimal(value, target);
      if (decimal.signum() == 0) {
        return Boolean.FALSE;
      }
      if (decimal.compareTo(BigDecimal.ONE) == 0) {
        return Boolean.TRUE;
      }
      throw new MappingException(describeFailure(value, target, "is not a boolean (only 0 and 1 are)"));
    }
    if (value instanceof CharSequence text) {
      switch (text.toString().trim().toLowerCase(Locale.ROOT)) {
        case "true", "t", "1", "yes", "y":
          return Boolean.TRUE;
        case "false", "f", "0", "no", "n":
          return Boolean.FALSE;
        default:
          throw new MappingException(describeFailure(value, target,
              "is not a boolean (true/false, t/f, 1/0, yes/no, y/n)"));
      }
    }
    throw cannotConvert(value, target);
  }

  private static Object toCharacter(Object value, Class<?> target) {
    if (value instanceof Character) {
      return value;
    }
    if (value instanceof CharSequence text) {
      if (text.length() != 1) {
        throw new MappingException(describeFailure(value, target,
            "is not one character (length " + text.length() + ")"));
      }
      return text.charAt(0);
    }
    throw cannotConvert(value, target);
  }

  private static Object toStringValue(Object value, Class<?> target) {
    if (value instanceof CharSequence || value instanceof Character || value instanceof Boolean
        || value instanceof UUID || value instanceof Enum<?>) {
      return value instanceof Enum<?> e ? e.name() : value.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof Clob clob) {
      return readClob(clob, target);
    }
    if (value instanceof Timestamp ts) {
      return ts.toLocalDateTime().toString();
    }
    if (value instanceof java.sql.Date || value instanceof Time) {
      return value.toString();
    }
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    if (value instanceof TemporalAccessor) {
      // java.time toString() is ISO-8601.
      return value.toString();
    }
    throw cannotConvert(value, target);
  }

  private static String readClob(Clob clob, Class<?> target) {
    try (Reader reader = clob.getCharacterStream()) {
      StringBuilder out = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) != -1; ) {
        out.append(buffer, 0, n);
      }
      return out.toString();
    } catch (SQLException | IOException e) {
      throw new MappingException(
          "Cannot read CLOB to convert it to " + target.getName() + ": " + e.getMessage(), null, e);
    }
  }

  // ---- UUID, bytes, enums ----

  private static Object toUuid(Object value, Class<?> target) {
    if (value instanceof CharSequence text) {
      try {
        return UUID.fromString(text.toString().trim());
      } catch (IllegalArgumentException e) {
        throw new MappingException(describeFailure(value, target, "is not a UUID"));
      }
    }
    if (value instanceof byte[] bytes) {
      if (bytes.length != 16) {
        throw new MappingException(describeFailure(value, target,
            "is not a UUID (16 bytes needed)"));
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      return new UUID(buffer.getLong(), buffer.getLong());
    }
    throw cannotConvert(value, target);
  }

  private static Object toBytes(Object value, Class<?> target) {
    if (value instanceof Blob blob) {
      try {
        long length = blob.length();
        if (length > Integer.MAX_VALUE - 8) {
          throw new MappingException(describeFailure(value, target,
              "is too large for an array (" + length + " bytes)"));
        }
        return blob.getBytes(1, (int) length);
      } catch (SQLException e) {
        throw new MappingException(
            "Cannot read BLOB to convert it to byte[]: " + e.getMessage(), null, e);
      }
    }
    throw cannotConvert(value, target);
  }

  private static Strategy enumStrategy(Class<?> enumType) {
    Object[] constants = enumType.getEnumConstants();
    Map<String, Object> exact = new HashMap<>();
    Map<String, Object> folded = new HashMap<>();
    StringJoiner names = new StringJoiner(", ");
    for (Object constant : constants) {
      String name = ((Enum<?>) constant).name();
      exact.put(name, constant);
      folded.putIfAbsent(name.toLowerCase(Locale.ROOT), constant);
      names.add(name);
    }
    String listed = names.toString();
    return (value, target) -> {
      if (!(value instanceof CharSequence text)) {
        throw cannotConvert(value, target);
      }
      String name = text.toString();
      Object constant = exact.get(name);
      if (constant == null) {
        constant = folded.get(name.trim().toLowerCase(Locale.ROOT));
      }
      if (constant == null) {
        throw new MappingException(describeFailure(value, target,
            "is not a constant (constants: " + listed + ")"));
      }
      return constant;
    };
  }

  // ---- dates and times ----

  /** A java.time value from {@code value}, reading legacy types as the local wall clock. */
  private static Object localSource(Object value, Class<?> target) {
    if (value instanceof Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (value instanceof Date date && !(value instanceof java.sql.Date || value instanceof Time)) {
      return LocalDateTime.ofInstant(date.toInstant(), ZoneId.systemDefault());
    }
    return temporalSource(value, target);
  }

  /** A java.time value from {@code value}, reading legacy types as instants. */
  private static Object instantSource(Object value, Class<?> target) {
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof Date date && !(value instanceof java.sql.Date || value instanceof Time)) {
      return date.toInstant();
    }
    return temporalSource(value, target);
  }

  private static Object temporalSource(Object value, Class<?> target) {
    if (value instanceof LocalDateTime || value instanceof LocalDate
        || value instanceof OffsetDateTime || value instanceof Instant
        || value instanceof ZonedDateTime || value instanceof LocalTime
        || value instanceof OffsetTime) {
      return value;
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof Time time) {
      return time.toLocalTime();
    }
    if (value instanceof CharSequence text) {
      return parseTemporal(text.toString().trim(), value, target);
    }
    if (value instanceof Number) {
      return Instant.ofEpochMilli(toLongExact(value, target));
    }
    throw cannotConvert(value, target);
  }

  private static Object parseTemporal(String text, Object value, Class<?> target) {
    try {
      if (text.length() > 2 && text.charAt(2) == ':') {
        TemporalAccessor parsed = TIME.parse(text);
        LocalTime time = LocalTime.from(parsed);
        ZoneOffset offset = parsed.query(TemporalQueries.offset());
        return offset == null ? time : OffsetTime.of(time, offset);
      }
      if (text.length() > 10 && (text.charAt(10) == ' ' || text.charAt(10) == 't')) {
        text = text.substring(0, 10) + 'T' + text.substring(11);
      }
      if (text.endsWith("]")) {
        return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME);
      }
      // Queries, not parseBest: parseBest finds the shape by catching exceptions.
      TemporalAccessor parsed = DATE_TIME.parse(text);
      LocalDate date = LocalDate.from(parsed);
      LocalTime time = parsed.query(TemporalQueries.localTime());
      if (time == null) {
        return date;
      }
      ZoneOffset offset = parsed.query(TemporalQueries.offset());
      return offset == null ? LocalDateTime.of(date, time) : OffsetDateTime.of(date, time, offset);
    } catch (DateTimeException e) {
      throw new MappingException(describeFailure(value, target,
          "is not an ISO-8601 date/time such as 2024-01-02 10:11:12"), null, e);
    }
  }

  private static LocalDateTime atUtc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static LocalDate toLocalDate(Object source, Object value, Class<?> target) {
    return switch (source) {
      case LocalDate d -> d;
      case LocalDateTime dt -> dt.toLocalDate();
      case OffsetDateTime o -> atUtc(o.toInstant()).toLocalDate();
      case ZonedDateTime z -> atUtc(z.toInstant()).toLocalDate();
      case Instant i -> atUtc(i).toLocalDate();
      default -> throw cannotConvert(value, target);
    };
  }

  private static LocalDateTime toLocalDateTime(Object source, Object value, Class<?> target) {
    return switch (source) {
      case LocalDateTime dt -> dt;
      case LocalDate d -> d.atStartOfDay();
      case OffsetDateTime o -> atUtc(o.toInstant());
      case ZonedDateTime z -> atUtc(z.toInstant());
      case Instant i -> atUtc(i);
      default -> throw cannotConvert(value, target);
    };
  }

  private static LocalTime toLocalTime(Object source, Object value, Class<?> target) {
    return switch (source) {
      case LocalTime t -> t;
      case LocalDateTime dt -> dt.toLocalTime();
      case OffsetTime t -> t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
      case OffsetDateTime o -> atUtc(o.toInstant()).toLocalTime();
      case ZonedDateTime z -> atUtc(z.toInstant()).toLocalTime();
      case Instant i -> atUtc(i).toLocalTime();
      default -> throw cannotConvert(value, target);
    };
  }

  private static Instant toInstant(Object source, Object value, Class<?> target) {
    return switch (source) {
      case Instant i -> i;
      case OffsetDateTime o -> o.toInstant();
      case ZonedDateTime z -> z.toInstant();
      case LocalDateTime dt -> dt.toInstant(ZoneOffset.UTC);
      case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
      default -> throw cannotConvert(value, target);
    };
  }

  private static Object toOffsetDateTime(Object value, Class<?> target) {
    Object source = instantSource(value, target);
    return switch (source) {
      case OffsetDateTime o -> o;
      case ZonedDateTime z -> z.toOffsetDateTime();
      default -> toInstant(source, value, target).atOffset(ZoneOffset.UTC);
    };
  }

  private static Object toZonedDateTime(Object value, Class<?> target) {
    Object source = instantSource(value, target);
    return switch (source) {
      case ZonedDateTime z -> z;
      case OffsetDateTime o -> o.toZonedDateTime();
      default -> toInstant(source, value, target).atZone(ZoneOffset.UTC);
    };
  }

  private static Timestamp toTimestamp(Object value, Class<?> target) {
    Object source = instantSource(value, target);
    return switch (source) {
      case LocalDateTime dt -> Timestamp.valueOf(dt);
      case LocalDate d -> Timestamp.valueOf(d.atStartOfDay());
      default -> Timestamp.from(toInstant(source, value, target));
    };
  }

  // ---- messages ----

  private static MappingException cannotConvert(Object value, Class<?> target) {
    return new MappingException("Cannot convert value of type " + value.getClass().getName()
        + " to " + target.getName());
  }

  private static MappingException outOfRange(Object value, Class<?> target) {
    return new MappingException(describeFailure(value, target, "is out of range"));
  }

  private static MappingException notANumber(Object value, Class<?> target) {
    return new MappingException(describeFailure(value, target, "is not a number"));
  }

  private static String describeFailure(Object value, Class<?> target, String problem) {
    return "Cannot convert value of type " + value.getClass().getName() + " to "
        + target.getName() + ": " + ValueText.of(value) + " " + problem;
  }
}
