package io.asyncengine.mapping;

import io.asyncengine.error.MappingException;
import io.asyncengine.mapping.internal.ColumnRead;
import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.mapping.internal.MappedProperty;
import io.asyncengine.mapping.internal.RecordFactories;
import io.asyncengine.types.TypeConverter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps the rows of one result shape to a Java record, a POJO or a simple type.
 *
 * <p>Build it once per result with {@link #of}, which matches columns to properties and reports
 * every mismatch up front; then call {@link #map} per row, which only converts values and invokes
 * the constructor or setters. Columns match properties by {@link NameConvention#normalize}, so
 * {@code created_at}, {@code CREATED_AT} and {@code createdAt} all fill {@code createdAt}; {@link
 * Column} renames a property and {@link Transient} excludes it. Values are converted by {@link
 * TypeConverter}. The class is read through the same cached model a session uses, so both agree on
 * properties and column names.
 *
 * <ul>
 *   <li>Simple types ({@link TypeConverter#isSimpleType}): the result has exactly one column.
 *   <li>Records: the canonical constructor; every component not {@link Transient} needs a column
 *       (transient ones receive {@code null}, zero or {@code false}); extra columns are ignored.
 *   <li>POJOs: a no-arg constructor of any visibility; each property is written through its public
 *       setter, else its field (not static, final, {@code transient} or {@link Transient}).
 *       Columns without a property are ignored and properties without a column keep their value,
 *       but at least one column must match.
 * </ul>
 *
 * <p>Thread: immutable; one instance may map rows on any number of threads.
 *
 * @param <T> the mapped type
 */
public final class RowObjectMapper<T> {

  private final Class<T> type;
  private final MappedClass<T> mapped;
  private final int columnCount;
  private final List<String> columnLabels;
  /** Per slot (constructor argument or written property), the column index, or -1 for none. */
  private final int[] columnIndexes;
  private final MappedProperty[] slots;
  /** Record only: arguments for transient components; copied per row. */
  private final @Nullable Object @Nullable [] defaults;

  private RowObjectMapper(Class<T> type, MappedClass<T> mapped, List<String> columnLabels,
      int[] columnIndexes, MappedProperty[] slots, @Nullable Object @Nullable [] defaults) {
    this.type = type;
    this.mapped = mapped;
    this.columnCount = columnLabels.size();
    this.columnLabels = columnLabels;
    this.columnIndexes = columnIndexes;
    this.slots = slots;
    this.defaults = defaults;
  }

  /**
   * Plans the mapping of rows with columns {@code columnLabels} to {@code type}.
   *
   * @param type a record, a POJO or a simple type
   * @param columnLabels the result's column labels, in order
   * @throws MappingException naming the class and the problem: a type that is none of the above,
   *     a simple type for a result that has not exactly one column, a record component without a
   *     column, a property two columns match, or a POJO no column matches
   * @throws NullPointerException if an argument or a label is null
   */
  public static <T> RowObjectMapper<T> of(Class<T> type, List<String> columnLabels) {
    List<String> labels = List.copyOf(columnLabels);
    MappedClass<T> mapped = MappedClass.of(type);
    return switch (mapped.kind()) {
      case SIMPLE -> {
        if (labels.size() != 1) {
          throw new MappingException("Cannot map to " + type.getName() + ": a simple type needs"
              + " exactly one column, the result has " + labels.size() + " (columns: "
              + String.join(", ", labels) + ")");
        }
        yield new RowObjectMapper<>(type, mapped, labels, new int[] {0}, new MappedProperty[0],
            null);
      }
      case RECORD -> planRecord(type, mapped, labels);
      case BEAN -> planBean(type, mapped, labels);
      case UNMAPPABLE -> throw new MappingException(
          "Cannot map to " + type.getName() + ": " + mapped.problem());
    };
  }

  private static <T> RowObjectMapper<T> planRecord(Class<T> type, MappedClass<T> mapped,
      List<String> labels) {
    Map<String, Integer> columns = columnsByKey(labels);
    int count = mapped.properties().size();
    int[] indexes = new int[count];
    MappedProperty[] slots = mapped.properties().toArray(new MappedProperty[0]);
    @Nullable Object[] defaults = new Object[count];
    for (int i = 0; i < count; i++) {
      MappedProperty component = slots[i];
      if (component.isTransient()) {
        indexes[i] = -1;
        defaults[i] = defaultValue(component.type());
        continue;
      }
      Integer index = columns.get(component.columnKey());
      if (index == null) {
        throw new MappingException("Cannot map to " + mapped.describe() + ": no column for"
            + " component '" + component.name() + "' (columns: " + String.join(", ", labels) + ")");
      }
      indexes[i] = checkedIndex(index, component, mapped, labels);
    }
    return new RowObjectMapper<>(type, mapped, labels, indexes, slots, defaults);
  }

  private static <T> RowObjectMapper<T> planBean(Class<T> type, MappedClass<T> mapped,
      List<String> labels) {
    Map<String, Integer> columns = columnsByKey(labels);
    List<MappedProperty> matched = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (MappedProperty property : mapped.properties()) {
      Integer index = columns.get(property.columnKey());
      if (index != null) {
        matched.add(property);
        indexes.add(checkedIndex(index, property, mapped, labels));
      }
    }
    if (matched.isEmpty()) {
      List<String> names = new ArrayList<>();
      mapped.properties().forEach(p -> names.add(p.name()));
      throw new MappingException("Cannot map to " + mapped.describe() + ": no column matches"
          + " any of its properties (columns: " + String.join(", ", labels) + "; properties: "
          + String.join(", ", names) + ")");
    }
    return new RowObjectMapper<>(type, mapped, labels,
        indexes.stream().mapToInt(Integer::intValue).toArray(),
        matched.toArray(new MappedProperty[0]), null);
  }

  /** Normalized label to column index; -1 - first index marks a key two columns share. */
  private static Map<String, Integer> columnsByKey(List<String> labels) {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String key = NameConvention.normalize(labels.get(i));
      Integer previous = columns.putIfAbsent(key, i);
      if (previous != null && previous >= 0) {
        columns.put(key, -1 - previous);
      }
    }
    return columns;
  }

  private static int checkedIndex(int index, MappedProperty property, MappedClass<?> mapped,
      List<String> labels) {
    if (index >= 0) {
      return index;
    }
    List<String> matching = new ArrayList<>();
    for (String label : labels) {
      if (NameConvention.normalize(label).equals(property.columnKey())) {
        matching.add(label);
      }
    }
    throw new MappingException("Cannot map to " + mapped.describe() + ": columns "
        + String.join(", ", matching) + " all match " + kindOf(mapped) + " '" + property.name()
        + "'; alias them apart");
  }

  private static @Nullable Object defaultValue(Class<?> type) {
    if (!type.isPrimitive()) {
      return null;
    }
    if (type == boolean.class) {
      return Boolean.FALSE;
    }
    if (type == char.class) {
      return '\0';
    }
    return TypeConverter.convert(0, type);
  }

  /** The mapped type. */
  public Class<T> type() {
    return type;
  }

  /** The column labels this mapper was planned for, in order. */
  public List<String> columnLabels() {
    return columnLabels;
  }

  /**
   * Maps one row.
   *
   * @param values the row's values, in the order of the column labels
   * @return the mapped object; {@code null} for a simple type whose column is NULL
   * @throws MappingException if {@code values} has the wrong length, if a value cannot be
   *     converted (the message names the column, the property, the target type and the value's
   *     type; the cause is the converter's exception), or if the constructor or a setter throws
   */
  public @Nullable T map(@Nullable Object[] values) {
    if (values.length != columnCount) {
      throw new MappingException("Cannot map to " + type.getName() + ": row has "
          + values.length + " values, the result has " + columnCount + " columns");
    }
    return switch (mapped.kind()) {
      case SIMPLE -> mapSimple(values[0]);
      case RECORD -> mapRecord(values);
      default -> mapBean(values);
    };
  }

  /**
   * A mapper that reads rows of this shape straight from a {@link ResultSet} positioned on a row,
   * without a {@code Row} or an array of values per row: each column is read into its property's
   * type by the getter its SQL type calls for (see {@code strictTypes}), and a record is built by
   * its canonical constructor called with those reads through a generated factory the JIT inlines. What it returns, and every {@link
   * MappingException} it throws (same message), is what {@link #map} gives for the values the row
   * path reads with {@code getObject}. Plan it once per opened result; then it maps any number of
   * rows, on the thread that owns the result set.
   *
   * @param metadata the metadata of the result this mapper was planned for
   * @param strictTypes whether the database keeps every value of a column in its declared type, so
   *     that {@code getLong}, {@code getString} and {@code getDouble} may read integer, text and
   *     {@code DOUBLE} columns into matching properties ({@code Dialect.strictColumnTypes()});
   *     otherwise every value is read with {@code getObject} and converted
   * @throws SQLException when the metadata cannot be read
   * @throws NullPointerException when {@code metadata} is null
   */
  public ResultSetMapper<T> resultSetMapper(ResultSetMetaData metadata, boolean strictTypes)
      throws SQLException {
    Objects.requireNonNull(metadata, "metadata must not be null");
    return switch (mapped.kind()) {
      case SIMPLE -> {
        ColumnRead read = ColumnRead.plan(metadata, 0, type, strictTypes,
            "Cannot map column '" + columnLabels.get(0) + "' to " + type.getName() + ": ");
        yield resultSet -> uncheckedCast(read.read(resultSet));
      }
      case RECORD -> recordReader(metadata, strictTypes);
      default -> beanReader(metadata, strictTypes);
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> T uncheckedCast(@Nullable Object value) {
    return (T) value;
  }

  private String failurePrefix(int slot) {
    MappedProperty property = slots[slot];
    return "Cannot map column '" + columnLabels.get(columnIndexes[slot]) + "' to " + kindOf(mapped)
        + " '" + property.name() + "' (" + property.type().getName() + ") of " + mapped.describe()
        + ": ";
  }

  /**
   * The fastest record reader there is for this record: a constructor factory called with the
   * reads' values ({@link RecordFactories}), else the constructor composed with the reads.
   */
  private ResultSetMapper<T> recordReader(ResultSetMetaData metadata, boolean strictTypes)
      throws SQLException {
    RecordFactories.ComponentRead[] reads = new RecordFactories.ComponentRead[slots.length];
    for (int i = 0; i < slots.length; i++) {
      if (columnIndexes[i] < 0) {
        Object value = defaults[i];
        reads[i] = resultSet -> value;
      } else {
        reads[i] = ColumnRead.plan(metadata, columnIndexes[i], slots[i].type(), strictTypes,
            failurePrefix(i))::read;
      }
    }
    ResultSetMapper<T> factory = RecordFactories.reader(mapped, reads);
    return factory != null ? factory : new HandleMapper<>(recordHandle(metadata, strictTypes));
  }

  /** {@code (ResultSet)Object}: the canonical constructor over the reads of its components. */
  private MethodHandle recordHandle(ResultSetMetaData metadata, boolean strictTypes)
      throws SQLException {
    MethodHandle constructor = mapped.canonicalConstructor();
    MethodType constructorType = constructor.type();
    int count = slots.length;
    MethodHandle[] reads = new MethodHandle[count];
    for (int i = 0; i < count; i++) {
      Class<?> componentType = constructorType.parameterType(i);
      if (columnIndexes[i] < 0) {
        reads[i] = MethodHandles.dropArguments(
            MethodHandles.constant(componentType, defaults[i]), 0, ResultSet.class);
      } else {
        reads[i] = ColumnRead.plan(metadata, columnIndexes[i], componentType, strictTypes,
            failurePrefix(i)).handle();
      }
    }
    // Only what the constructor throws becomes "its constructor threw"; a read's failure passes.
    MethodHandle threw = MethodHandles.insertArguments(CONSTRUCTOR_THREW, 0, mapped)
        .asType(MethodType.methodType(constructorType.returnType(), Throwable.class));
    MethodHandle guarded = MethodHandles.catchException(constructor, Throwable.class,
        MethodHandles.dropArguments(threw, 1, constructorType.parameterList()));
    MethodHandle reading = MethodHandles.filterArguments(guarded, 0, reads);
    return MethodHandles.permuteArguments(reading,
            MethodType.methodType(constructorType.returnType(), ResultSet.class), new int[count])
        .asType(MethodType.methodType(Object.class, ResultSet.class));
  }

  private static final MethodHandle CONSTRUCTOR_THREW;

  static {
    try {
      CONSTRUCTOR_THREW = MethodHandles.lookup().findStatic(RowObjectMapper.class, "constructorThrew",
          MethodType.methodType(Object.class, MappedClass.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Object constructorThrew(MappedClass<?> mapped, Throwable e) throws Throwable {
    if (e instanceof Error) {
      throw e;
    }
    throw new MappingException("Cannot map to " + mapped.describe() + ": its constructor threw " + e,
        null, e);
  }

  private ResultSetMapper<T> beanReader(ResultSetMetaData metadata, boolean strictTypes)
      throws SQLException {
    ColumnRead[] reads = new ColumnRead[slots.length];
    for (int i = 0; i < slots.length; i++) {
      reads[i] = ColumnRead.plan(metadata, columnIndexes[i], slots[i].type(), strictTypes,
          failurePrefix(i));
    }
    return resultSet -> {
      T bean;
      try {
        bean = mapped.newBean();
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot map to " + mapped.describe() + ": its constructor threw "
            + e, null, e);
      }
      for (int i = 0; i < reads.length; i++) {
        Object value = reads[i].read(resultSet);
        MappedProperty property = slots[i];
        try {
          property.write(bean, value);
        } catch (Error e) {
          throw e;
        } catch (Throwable e) {
          throw new MappingException("Cannot map to " + mapped.describe() + ": writing property '"
              + property.name() + "' threw " + e, null, e);
        }
      }
      return bean;
    };
  }

  /** Maps through a composed {@code (ResultSet)Object} handle. */
  private static final class HandleMapper<T> implements ResultSetMapper<T> {
    private final MethodHandle handle;

    HandleMapper(MethodHandle handle) {
      this.handle = handle;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T map(ResultSet resultSet) throws SQLException {
      try {
        return (T) (Object) handle.invokeExact(resultSet);
      } catch (SQLException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Reading a row failed: " + e, null, e); // no read throws one
      }
    }
  }

  private @Nullable T mapSimple(@Nullable Object value) {
    try {
      return TypeConverter.convert(value, type);
    } catch (MappingException e) {
      throw new MappingException("Cannot map column '" + columnLabels.get(0) + "' to "
          + type.getName() + ": " + e.getMessage(), null, e);
    }
  }

  private T mapRecord(@Nullable Object[] values) {
    @Nullable Object[] arguments = defaults.clone();
    for (int i = 0; i < slots.length; i++) {
      int column = columnIndexes[i];
      if (column >= 0) {
        arguments[i] = convert(values[column], column, slots[i]);
      }
    }
    try {
      return mapped.newRecord(arguments);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot map to " + mapped.describe() + ": its constructor threw "
          + e, null, e);
    }
  }

  private T mapBean(@Nullable Object[] values) {
    T bean;
    try {
      bean = mapped.newBean();
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot map to " + mapped.describe() + ": its constructor threw "
          + e, null, e);
    }
    for (int i = 0; i < slots.length; i++) {
      int column = columnIndexes[i];
      MappedProperty property = slots[i];
      Object value = convert(values[column], column, property);
      try {
        property.write(bean, value);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot map to " + mapped.describe() + ": writing property '"
            + property.name() + "' threw " + e, null, e);
      }
    }
    return bean;
  }

  private @Nullable Object convert(@Nullable Object value, int column, MappedProperty property) {
    try {
      return TypeConverter.convert(value, property.type());
    } catch (MappingException e) {
      throw new MappingException("Cannot map column '" + columnLabels.get(column) + "' to "
          + kindOf(mapped) + " '" + property.name() + "' (" + property.type().getName() + ") of "
          + mapped.describe() + ": " + e.getMessage(), null, e);
    }
  }

  private static String kindOf(MappedClass<?> mapped) {
    return mapped.isRecord() ? "component" : "property";
  }
}
