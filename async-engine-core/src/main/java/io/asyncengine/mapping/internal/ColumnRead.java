package io.asyncengine.mapping.internal;

import io.asyncengine.error.MappingException;
import io.asyncengine.types.TypeConverter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import org.jspecify.annotations.Nullable;

/**
 * How one column of a result is read into one Java type, planned once per opened result from its
 * metadata: the typed getter when it returns exactly what {@code getObject} and {@link
 * TypeConverter} would ({@code getLong} for an integer column read into a {@code long} or {@code
 * int}, {@code getString} for a text column read into a {@code String}, {@code getDouble} for a
 * {@code DOUBLE} column read into a {@code double}, on a database whose columns keep their declared
 * type), else {@code getObject} converted by {@link TypeConverter}. Either way a value gives the
 * same result or the same {@link MappingException} as reading the row into a {@code Row} and
 * converting it there: an unusual value (a NULL for a primitive, an integer too large for an
 * {@code int}) is read again with {@code getObject} and converted as the row path converts it, so
 * that it fails with the same message.
 *
 * <p>{@link #handle()} is a {@code (ResultSet)target} method handle, so that a record's
 * constructor can be composed with the reads of its components without boxing or an argument
 * array per row.
 *
 * <p>Thread: immutable; reads on the thread that owns the result set.
 */
public final class ColumnRead {

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private enum Getter { LONG, INT, STRING, DOUBLE, OBJECT }

  private final int column;
  private final Class<?> target;
  private final String failurePrefix;
  private final Getter getter;
  private final boolean primitive;
  /** The box of a primitive target, else the target. */
  private final Class<?> boxed;

  private ColumnRead(int column, Class<?> target, String failurePrefix, Getter getter) {
    this.column = column;
    this.target = target;
    this.primitive = target.isPrimitive();
    this.boxed = MethodType.methodType(target).wrap().returnType();
    this.failurePrefix = failurePrefix;
    this.getter = getter;
  }

  /**
   * Plans the read of the 0-based {@code index} into {@code target}.
   *
   * @param strictTypes whether the database keeps every value of a column in its declared type
   *     ({@code Dialect.strictColumnTypes()}); only then are typed getters used
   * @param failurePrefix put before the converter's message in a {@link MappingException}, naming
   *     the column (and the property) as the row path does
   */
  public static ColumnRead plan(ResultSetMetaData metadata, int index, Class<?> target,
      boolean strictTypes, String failurePrefix) throws SQLException {
    Getter getter = Getter.OBJECT;
    if (strictTypes) {
      int column = index + 1;
      int sqlType = metadata.getColumnType(column);
      if (isInteger(sqlType) && (sqlType != Types.BIGINT || metadata.isSigned(column))) {
        if (target == long.class || target == Long.class) {
          getter = Getter.LONG;
        } else if (target == int.class || target == Integer.class) {
          getter = Getter.INT;
        }
      } else if (isText(sqlType) && target == String.class) {
        getter = Getter.STRING;
      } else if (sqlType == Types.DOUBLE && (target == double.class || target == Double.class)) {
        getter = Getter.DOUBLE;
      }
    }
    return new ColumnRead(index + 1, target, failurePrefix, getter);
  }

  private static boolean isInteger(int sqlType) {
    return sqlType == Types.BIGINT || sqlType == Types.INTEGER || sqlType == Types.SMALLINT
        || sqlType == Types.TINYINT;
  }

  private static boolean isText(int sqlType) {
    return sqlType == Types.VARCHAR || sqlType == Types.CHAR || sqlType == Types.LONGVARCHAR
        || sqlType == Types.NVARCHAR || sqlType == Types.NCHAR || sqlType == Types.LONGNVARCHAR;
  }

  /** Whether this read uses a typed getter rather than {@code getObject} (for tests). */
  public boolean typed() {
    return getter != Getter.OBJECT;
  }

  /** A {@code (ResultSet)target} handle reading this column of the current row. */
  public MethodHandle handle() {
    try {
      boolean primitive = target.isPrimitive();
      MethodHandle handle = switch (getter) {
        case LONG -> virtual(primitive ? "readLong" : "readLongOrNull", primitive ? long.class : Long.class);
        case INT -> virtual(primitive ? "readInt" : "readIntOrNull", primitive ? int.class : Integer.class);
        case DOUBLE -> virtual(primitive ? "readDouble" : "readDoubleOrNull", primitive ? double.class : Double.class);
        case STRING -> virtual("readString", String.class);
        case OBJECT -> virtual("readObject", Object.class);
      };
      return handle.bindTo(this).asType(MethodType.methodType(target, ResultSet.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException("ColumnRead lost a read method", e);
    }
  }

  private static MethodHandle virtual(String name, Class<?> returned)
      throws NoSuchMethodException, IllegalAccessException {
    return LOOKUP.findVirtual(ColumnRead.class, name, MethodType.methodType(returned, ResultSet.class));
  }

  /**
   * Reads the column converted to the target, boxed; {@code null} for a NULL unless the target is
   * primitive, which fails as the row path does.
   */
  public @Nullable Object read(ResultSet resultSet) throws SQLException {
    return switch (getter) {
      case LONG -> primitive ? (Object) readLong(resultSet) : readLongOrNull(resultSet);
      case INT -> primitive ? (Object) readInt(resultSet) : readIntOrNull(resultSet);
      case DOUBLE -> primitive ? (Object) readDouble(resultSet) : readDoubleOrNull(resultSet);
      case STRING -> readString(resultSet);
      case OBJECT -> readObject(resultSet);
    };
  }

  // ---- the reads; the unusual cases go through readObject for the row path's exact failure ----

  private long readLong(ResultSet resultSet) throws SQLException {
    long value = resultSet.getLong(column);
    if (value == 0 && resultSet.wasNull()) {
      return (Long) readObject(resultSet); // NULL for a primitive: fails as the row path does
    }
    return value;
  }

  private @Nullable Long readLongOrNull(ResultSet resultSet) throws SQLException {
    long value = resultSet.getLong(column);
    return value == 0 && resultSet.wasNull() ? null : value;
  }

  private int readInt(ResultSet resultSet) throws SQLException {
    long value = resultSet.getLong(column);
    if ((value == 0 && resultSet.wasNull()) || value != (int) value) {
      return (Integer) readObject(resultSet);
    }
    return (int) value;
  }

  private @Nullable Integer readIntOrNull(ResultSet resultSet) throws SQLException {
    long value = resultSet.getLong(column);
    if (value == 0 && resultSet.wasNull()) {
      return null;
    }
    if (value != (int) value) {
      return (Integer) readObject(resultSet);
    }
    return (int) value;
  }

  private double readDouble(ResultSet resultSet) throws SQLException {
    double value = resultSet.getDouble(column);
    if (value == 0 && resultSet.wasNull()) {
      return (Double) readObject(resultSet);
    }
    return value;
  }

  private @Nullable Double readDoubleOrNull(ResultSet resultSet) throws SQLException {
    double value = resultSet.getDouble(column);
    return value == 0 && resultSet.wasNull() ? null : value;
  }

  private @Nullable String readString(ResultSet resultSet) throws SQLException {
    return resultSet.getString(column);
  }

  private @Nullable Object readObject(ResultSet resultSet) throws SQLException {
    Object value = detach(resultSet.getObject(column));
    // What the converter returns for the commonest pairs (SQLite's integers into a long), without
    // its per-target lookup.
    if (value instanceof Integer number && (target == long.class || target == Long.class)) {
      return (long) number;
    }
    if (target.isInstance(value) || (primitive && value != null && boxed == value.getClass())) {
      return value;
    }
    try {
      return TypeConverter.convert(value, target);
    } catch (MappingException e) {
      throw new MappingException(failurePrefix + e.getMessage(), null, e);
    }
  }

  /**
   * {@code value} as read by {@code getObject}, with LOBs and arrays copied into plain values
   * ({@code String}, {@code byte[]}, the array's Java array) while the result set is still open, so
   * that the value stays valid after it closes.
   */
  public static @Nullable Object detach(@Nullable Object value) throws SQLException {
    // The common values first: class checks are cheap, the interface checks below scan a list and
    // cost more per value than a whole row's bookkeeping when millions of rows stream by.
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Clob clob) {
      try {
        return clob.getSubString(1, (int) clob.length());
      } finally {
        clob.free();
      }
    }
    if (value instanceof Blob blob) {
      try {
        return blob.getBytes(1, (int) blob.length());
      } finally {
        blob.free();
      }
    }
    if (value instanceof Array array) {
      try {
        return array.getArray();
      } finally {
        array.free();
      }
    }
    return value;
  }
}
