package io.asyncengine.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.error.MappingException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TypeConverterTest {

  enum Color { RED, GREEN, dark_blue }

  private static <T> T convert(Object value, Class<T> target) {
    return TypeConverter.convert(value, target);
  }

  @Nested
  class NullsAndFastPath {

    @Test
    void nullToReferenceIsNull() {
      assertThat(convert(null, Integer.class)).isNull();
      assertThat(convert(null, String.class)).isNull();
      assertThat(convert(null, LocalDate.class)).isNull();
    }

    @Test
    void nullToPrimitiveFails() {
      assertThatThrownBy(() -> convert(null, int.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("NULL cannot be converted to int");
      assertThatThrownBy(() -> convert(null, boolean.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("NULL cannot be converted to boolean");
    }

    @Test
    void assignableValueIsReturnedAsIs() {
      BigDecimal decimal = new BigDecimal("1.50");
      assertThat(convert(decimal, BigDecimal.class)).isSameAs(decimal);
      assertThat(convert(decimal, Number.class)).isSameAs(decimal);
      Timestamp ts = Timestamp.valueOf("2024-01-02 10:11:12");
      assertThat(convert(ts, Date.class)).isSameAs(ts);
    }

    @Test
    void objectTargetReturnsValueUnchanged() {
      Object value = List.of(1);
      assertThat(convert(value, Object.class)).isSameAs(value);
    }

    @Test
    void primitivesAndBoxesInterchange() {
      assertThat(convert(5, int.class)).isEqualTo(5);
      assertThat(convert(5, Integer.class)).isEqualTo(5);
      assertThat(convert(5L, long.class)).isEqualTo(5L);
      assertThat(convert(true, boolean.class)).isTrue();
      assertThat(convert('x', char.class)).isEqualTo('x');
      assertThat(convert(1.5d, double.class)).isEqualTo(1.5d);
    }
  }

  @Nested
  class Numbers {

    @Test
    void widening() {
      assertThat(convert(7, long.class)).isEqualTo(7L);
      assertThat(convert((short) 7, Integer.class)).isEqualTo(7);
      assertThat(convert(7, double.class)).isEqualTo(7d);
      assertThat(convert(7L, BigDecimal.class)).isEqualTo(new BigDecimal("7"));
      assertThat(convert(7, BigInteger.class)).isEqualTo(BigInteger.valueOf(7));
      assertThat(convert(0.1d, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
      assertThat(convert(2.5f, double.class)).isEqualTo(2.5d);
      assertThat(convert(new AtomicLong(9), int.class)).isEqualTo(9);
    }

    @Test
    void exactNarrowing() {
      assertThat(convert(42L, int.class)).isEqualTo(42);
      assertThat(convert(new BigDecimal("42.000"), int.class)).isEqualTo(42);
      assertThat(convert(new BigDecimal("1E+2"), long.class)).isEqualTo(100L);
      assertThat(convert(3.0d, short.class)).isEqualTo((short) 3);
      assertThat(convert(-128, byte.class)).isEqualTo((byte) -128);
      assertThat(convert(BigInteger.TEN, long.class)).isEqualTo(10L);
      assertThat(convert(new BigDecimal("12.00"), BigInteger.class)).isEqualTo(BigInteger.valueOf(12));
      assertThat(convert(1.5d, float.class)).isEqualTo(1.5f);
      assertThat(convert(new BigDecimal("2.25"), double.class)).isEqualTo(2.25d);
    }

    @Test
    void overflowFails() {
      assertThatThrownBy(() -> convert(3_000_000_000L, int.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.Long to int: 3000000000 is out of range");
      assertThatThrownBy(() -> convert(128, byte.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("128 is out of range");
      assertThatThrownBy(() -> convert(40_000, Short.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("to java.lang.Short");
      assertThatThrownBy(() -> convert(new BigInteger("99999999999999999999"), long.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is out of range");
      assertThatThrownBy(() -> convert(1e19, long.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is out of range");
      assertThatThrownBy(() -> convert(1e300, float.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is out of range");
    }

    @Test
    void fractionFails() {
      assertThatThrownBy(() -> convert(new BigDecimal("3.5"), int.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.math.BigDecimal to int: 3.5 has a fractional part");
      assertThatThrownBy(() -> convert(2.5d, long.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("has a fractional part");
      assertThatThrownBy(() -> convert(new BigDecimal("2.5"), BigInteger.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("has a fractional part");
      assertThatThrownBy(() -> convert(Double.NaN, int.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is not a finite number");
      assertThatThrownBy(() -> convert(Double.POSITIVE_INFINITY, BigDecimal.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is not a finite number");
    }

    @Test
    void fromText() {
      assertThat(convert(" 42 ", int.class)).isEqualTo(42);
      assertThat(convert("1e3", long.class)).isEqualTo(1000L);
      assertThat(convert("12.50", BigDecimal.class)).isEqualTo(new BigDecimal("12.50"));
      assertThat(convert("2.5", double.class)).isEqualTo(2.5d);
      assertThat(convert("123456789012345678901234567890", BigInteger.class))
          .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void badTextFails() {
      assertThatThrownBy(() -> convert("abc", int.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to int: 'abc' is not a number");
      assertThatThrownBy(() -> convert("1.5", int.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("has a fractional part");
      assertThatThrownBy(() -> convert("x", double.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("'x' is not a number");
      assertThatThrownBy(() -> convert("x", BigDecimal.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("'x' is not a number");
    }

    @Test
    void booleanAsNumber() {
      assertThat(convert(true, int.class)).isEqualTo(1);
      assertThat(convert(false, BigDecimal.class)).isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void numberToNumberClassGivesBigDecimalForText() {
      assertThat(convert("3.25", Number.class)).isEqualTo(new BigDecimal("3.25"));
    }

    @Test
    void nonNumberFails() {
      assertThatThrownBy(() -> convert(LocalDate.of(2024, 1, 2), int.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.time.LocalDate to int");
    }
  }

  @Nested
  class Booleans {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "t", "T", "1", "yes", "Y", " y "})
    void trueText(String text) {
      assertThat(convert(text, boolean.class)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "f", "0", "no", "N"})
    void falseText(String text) {
      assertThat(convert(text, Boolean.class)).isFalse();
    }

    @Test
    void fromNumbers() {
      assertThat(convert(1, boolean.class)).isTrue();
      assertThat(convert(0, boolean.class)).isFalse();
      assertThat(convert(1L, Boolean.class)).isTrue();
      assertThat(convert((byte) 0, Boolean.class)).isFalse();
      assertThat(convert(new BigDecimal("1.0"), Boolean.class)).isTrue();
    }

    @Test
    void otherNumbersFail() {
      assertThatThrownBy(() -> convert(2, boolean.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.Integer to boolean: 2 is not a boolean"
              + " (only 0 and 1 are)");
    }

    @Test
    void otherTextFails() {
      assertThatThrownBy(() -> convert("maybe", boolean.class))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("'maybe' is not a boolean");
    }
  }

  @Nested
  class Texts {

    @Test
    void fromSensibleValues() {
      assertThat(convert(new StringBuilder("sb"), String.class)).isEqualTo("sb");
      assertThat(convert(42, String.class)).isEqualTo("42");
      assertThat(convert(new BigDecimal("1E+3"), String.class)).isEqualTo("1000");
      assertThat(convert('c', String.class)).isEqualTo("c");
      UUID uuid = UUID.randomUUID();
      assertThat(convert(uuid, String.class)).isEqualTo(uuid.toString());
      assertThat(convert(LocalDate.of(2024, 1, 2), String.class)).isEqualTo("2024-01-02");
      assertThat(convert(LocalDateTime.of(2024, 1, 2, 10, 11, 12), String.class))
          .isEqualTo("2024-01-02T10:11:12");
      assertThat(convert(Timestamp.valueOf("2024-01-02 10:11:12.5"), String.class))
          .isEqualTo("2024-01-02T10:11:12.500");
      assertThat(convert(Color.GREEN, String.class)).isEqualTo("GREEN");
      assertThat(convert(true, String.class)).isEqualTo("true");
    }

    @Test
    void fromClob() {
      assertThat(convert(clob("long text"), String.class)).isEqualTo("long text");
    }

    @Test
    void notFromBytes() {
      assertThatThrownBy(() -> convert(new byte[] {1, 2}, String.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type [B to java.lang.String");
    }

    @Test
    void characterFromOneCharText() {
      assertThat(convert("x", char.class)).isEqualTo('x');
      assertThat(convert("y", Character.class)).isEqualTo('y');
      assertThatThrownBy(() -> convert("xy", char.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to char: 'xy' is not one"
              + " character (length 2)");
    }

    @Test
    void hugeValuesAreTruncatedInMessages() {
      String huge = "z".repeat(10_000);
      assertThatThrownBy(() -> convert(huge, int.class))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("'" + "z".repeat(100) + "…(10000 chars)'")
          .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(250));
    }
  }

  @Nested
  class DatesAndTimes {

    private final LocalDateTime wall = LocalDateTime.of(2024, 1, 2, 10, 11, 12);

    @ParameterizedTest
    @CsvSource({
        "2024-01-02 10:11:12, 2024-01-02T10:11:12",
        "2024-01-02T10:11:12, 2024-01-02T10:11:12",
        "2024-01-02 10:11:12.345, 2024-01-02T10:11:12.345",
        "2024-01-02 10:11:12.123456, 2024-01-02T10:11:12.123456",
        "2024-01-02 10:11, 2024-01-02T10:11",
        "2024-01-02, 2024-01-02T00:00",
        "2024-01-02 10:11:12Z, 2024-01-02T10:11:12",
        "2024-01-02 12:11:12+02, 2024-01-02T10:11:12",
        "2024-01-02 12:11:12+0200, 2024-01-02T10:11:12",
        "2024-01-02T12:11:12+02:00, 2024-01-02T10:11:12",
        "2024-01-02 05:11:12.5-05:00, 2024-01-02T10:11:12.5",
    })
    void localDateTimeFromText(String text, String expected) {
      assertThat(convert(text, LocalDateTime.class)).isEqualTo(LocalDateTime.parse(expected));
    }

    @Test
    void instantFromTextWithoutOffsetIsUtc() {
      assertThat(convert("2024-01-02 10:11:12", Instant.class))
          .isEqualTo(Instant.parse("2024-01-02T10:11:12Z"));
      assertThat(convert("2024-01-02 12:11:12+02", Instant.class))
          .isEqualTo(Instant.parse("2024-01-02T10:11:12Z"));
      assertThat(convert("2024-01-02", Instant.class))
          .isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
    }

    @Test
    void offsetDateTimeKeepsItsOffset() {
      assertThat(convert("2024-01-02 12:11:12+02:00", OffsetDateTime.class))
          .isEqualTo(OffsetDateTime.of(wall.plusHours(2), ZoneOffset.ofHours(2)));
      assertThat(convert("2024-01-02 10:11:12", OffsetDateTime.class))
          .isEqualTo(OffsetDateTime.of(wall, ZoneOffset.UTC));
    }

    @Test
    void zonedDateTime() {
      assertThat(convert("2024-01-02 10:11:12", ZonedDateTime.class))
          .isEqualTo(ZonedDateTime.of(wall, ZoneOffset.UTC));
      assertThat(convert("2024-01-02T11:11:12+01:00[Europe/Paris]", ZonedDateTime.class))
          .isEqualTo(ZonedDateTime.parse("2024-01-02T11:11:12+01:00[Europe/Paris]"));
      assertThat(convert(OffsetDateTime.of(wall, ZoneOffset.UTC), ZonedDateTime.class))
          .isEqualTo(ZonedDateTime.of(wall, ZoneOffset.UTC));
    }

    @Test
    void localDateFromText() {
      assertThat(convert("2024-01-02", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
      assertThat(convert("2024-01-02 10:11:12", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
    }

    @Test
    void localTimeFromText() {
      assertThat(convert("10:11:12", LocalTime.class)).isEqualTo(LocalTime.of(10, 11, 12));
      assertThat(convert("10:11:12.5", LocalTime.class)).isEqualTo(LocalTime.of(10, 11, 12, 500_000_000));
      assertThat(convert("12:11:12+02", LocalTime.class)).isEqualTo(LocalTime.of(10, 11, 12));
      assertThat(convert("2024-01-02 10:11:12", LocalTime.class)).isEqualTo(LocalTime.of(10, 11, 12));
    }

    @Test
    void epochMillis() {
      long millis = Instant.parse("2024-01-02T10:11:12.345Z").toEpochMilli();
      assertThat(convert(millis, Instant.class)).isEqualTo(Instant.ofEpochMilli(millis));
      assertThat(convert(millis, LocalDateTime.class))
          .isEqualTo(LocalDateTime.of(2024, 1, 2, 10, 11, 12, 345_000_000));
      assertThat(convert(millis, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
      assertThat(convert(millis, OffsetDateTime.class).toInstant()).isEqualTo(Instant.ofEpochMilli(millis));
      assertThat(convert(millis, Timestamp.class).getTime()).isEqualTo(millis);
      assertThat(convert(0, Instant.class)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void legacyDriverTypes() {
      Timestamp ts = Timestamp.valueOf(LocalDateTime.of(2024, 1, 2, 10, 11, 12, 123_456_789));
      assertThat(convert(ts, LocalDateTime.class)).isEqualTo(ts.toLocalDateTime());
      assertThat(convert(ts, Instant.class)).isEqualTo(ts.toInstant());
      assertThat(convert(ts, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
      assertThat(convert(ts, OffsetDateTime.class).toInstant()).isEqualTo(ts.toInstant());
      java.sql.Date date = java.sql.Date.valueOf("2024-01-02");
      assertThat(convert(date, LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
      assertThat(convert(date, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
      assertThat(convert(date, Instant.class)).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
      Time time = Time.valueOf("10:11:12");
      assertThat(convert(time, LocalTime.class)).isEqualTo(LocalTime.of(10, 11, 12));
      Date utilDate = new Date(ts.getTime());
      assertThat(convert(utilDate, Instant.class)).isEqualTo(utilDate.toInstant());
    }

    @Test
    void toLegacyTypes() {
      assertThat(convert(LocalDateTime.of(2024, 1, 2, 10, 11, 12), Timestamp.class))
          .isEqualTo(Timestamp.valueOf("2024-01-02 10:11:12"));
      assertThat(convert("2024-01-02", java.sql.Date.class)).isEqualTo(java.sql.Date.valueOf("2024-01-02"));
      assertThat(convert(LocalTime.of(10, 11, 12), Time.class)).isEqualTo(Time.valueOf("10:11:12"));
      Instant instant = Instant.parse("2024-01-02T10:11:12Z");
      assertThat(convert(instant, Date.class)).isEqualTo(Date.from(instant));
      assertThat(convert(instant, Timestamp.class)).isEqualTo(Timestamp.from(instant));
      assertThat(convert(Timestamp.valueOf("2024-01-02 10:11:12"), java.sql.Date.class))
          .isEqualTo(java.sql.Date.valueOf("2024-01-02"));
    }

    @Test
    void betweenJavaTimeTypes() {
      assertThat(convert(LocalDate.of(2024, 1, 2), LocalDateTime.class))
          .isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
      assertThat(convert(OffsetDateTime.of(wall, ZoneOffset.ofHours(-1)), LocalDateTime.class))
          .isEqualTo(wall.plusHours(1));
      assertThat(convert(Instant.parse("2024-01-02T10:11:12Z"), LocalDateTime.class)).isEqualTo(wall);
      assertThat(convert(wall, Instant.class)).isEqualTo(Instant.parse("2024-01-02T10:11:12Z"));
    }

    @Test
    void badTextFails() {
      assertThatThrownBy(() -> convert("yesterday", LocalDate.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to java.time.LocalDate:"
              + " 'yesterday' is not an ISO-8601 date/time such as 2024-01-02 10:11:12");
      assertThatThrownBy(() -> convert("2023-02-30", LocalDate.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("is not an ISO-8601");
    }

    @Test
    void impossibleShapesFail() {
      assertThatThrownBy(() -> convert(LocalTime.NOON, LocalDate.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.time.LocalTime to java.time.LocalDate");
      assertThatThrownBy(() -> convert(LocalDate.of(2024, 1, 2), LocalTime.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.time.LocalDate to java.time.LocalTime");
      assertThatThrownBy(() -> convert(true, Instant.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.Boolean to java.time.Instant");
      assertThatThrownBy(() -> convert(1.5d, Instant.class))
          .isInstanceOf(MappingException.class).hasMessageContaining("has a fractional part");
    }

    @Test
    void jdkFailureBecomesMappingException() {
      assertThatThrownBy(() -> convert(Instant.MAX, Timestamp.class))
          .isInstanceOf(MappingException.class)
          .hasMessageStartingWith("Cannot convert value of type java.time.Instant to java.sql.Timestamp")
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class UuidsBytesEnums {

    private final UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

    @Test
    void uuid() {
      assertThat(convert(uuid.toString(), UUID.class)).isEqualTo(uuid);
      byte[] bytes = java.nio.ByteBuffer.allocate(16)
          .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
      assertThat(convert(bytes, UUID.class)).isEqualTo(uuid);
    }

    @Test
    void badUuidFails() {
      assertThatThrownBy(() -> convert("nope", UUID.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to java.util.UUID: 'nope' is not a UUID");
      assertThatThrownBy(() -> convert(new byte[3], UUID.class))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("byte[3] is not a UUID (16 bytes needed)");
      assertThatThrownBy(() -> convert(5, UUID.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.Integer to java.util.UUID");
    }

    @Test
    void bytes() {
      byte[] bytes = {1, 2, 3};
      assertThat(convert(bytes, byte[].class)).isSameAs(bytes);
      assertThat(convert(blob(bytes), byte[].class)).containsExactly(1, 2, 3);
      assertThatThrownBy(() -> convert("abc", byte[].class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to [B");
    }

    @Test
    void enums() {
      assertThat(convert("RED", Color.class)).isEqualTo(Color.RED);
      assertThat(convert("green", Color.class)).isEqualTo(Color.GREEN);
      assertThat(convert("DARK_BLUE", Color.class)).isEqualTo(Color.dark_blue);
      assertThatThrownBy(() -> convert("purple", Color.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to " + Color.class.getName()
              + ": 'purple' is not a constant (constants: RED, GREEN, dark_blue)");
      assertThatThrownBy(() -> convert(1, Color.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.Integer to " + Color.class.getName());
    }
  }

  @Nested
  class Unsupported {

    @Test
    void unknownTargetFails() {
      assertThatThrownBy(() -> convert("x", Map.class))
          .isInstanceOf(MappingException.class)
          .hasMessage("Cannot convert value of type java.lang.String to java.util.Map");
    }

    @Test
    void isSimpleType() {
      for (Class<?> type : List.of(int.class, Integer.class, long.class, boolean.class, char.class,
          String.class, Character.class, BigDecimal.class, BigInteger.class, Number.class,
          LocalDate.class, LocalDateTime.class, LocalTime.class, Instant.class,
          OffsetDateTime.class, ZonedDateTime.class, Date.class, java.sql.Date.class, Time.class,
          Timestamp.class, UUID.class, Color.class, byte[].class, Object.class)) {
        assertThat(TypeConverter.isSimpleType(type)).as(type.getName()).isTrue();
      }
      for (Class<?> type : List.of(Map.class, List.class, int[].class, Record.class, Thread.class)) {
        assertThat(TypeConverter.isSimpleType(type)).as(type.getName()).isFalse();
      }
    }
  }

  private static Clob clob(String text) {
    return (Clob) Proxy.newProxyInstance(Clob.class.getClassLoader(), new Class<?>[] {Clob.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getCharacterStream" -> (Reader) new StringReader(text);
          case "length" -> (long) text.length();
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static Blob blob(byte[] bytes) {
    return (Blob) Proxy.newProxyInstance(Blob.class.getClassLoader(), new Class<?>[] {Blob.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "length" -> (long) bytes.length;
          case "getBytes" -> java.util.Arrays.copyOfRange(bytes, (int) (long) (Long) args[0] - 1,
              (int) (long) (Long) args[0] - 1 + (Integer) args[1]);
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
