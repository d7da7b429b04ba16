package io.asyncengine.mapping.internal;

import io.asyncengine.error.MappingException;
import io.asyncengine.mapping.Column;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Transient;
import io.asyncengine.mapping.Version;
import io.asyncengine.types.TypeConverter;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a class looks like to the row mapper and to a session: one model of a record or POJO,
 * found by reflection once per class ({@link ClassInspector}) and cached in a {@link ClassValue}.
 *
 * <p>Shape, for the row mapper: a simple type ({@link TypeConverter#isSimpleType}, read from one
 * column), a record (canonical constructor and components), a POJO (no-arg constructor and
 * writable properties: a public setter wins over its field; a field is writable unless static,
 * final, {@code transient} or {@link Transient}), or unmappable, with the reason.
 *
 * <p>Entity, for a session ({@link #entity}): its table, its columns (the properties that are not
 * transient), its id and version properties, and how to read and write them. Names follow the
 * convention ({@code UserAccount} to {@code user_account}, {@code createdAt} to {@code
 * created_at}) unless {@link Table} or {@link Column} say otherwise; {@link Id} and {@link Version}
 * mark the identifier and the version counter. Every table and column name of an entity is checked
 * against {@link #IDENTIFIER}, so SQL built from the model never contains anything but plain
 * identifiers. A class that cannot be an entity keeps the reason, and {@link #entity} throws it
 * on every use. The entity methods ({@link #table()} to {@link #copyInto}) are for a model that
 * {@link #entity} returned.
 *
 * <p>Thread: immutable; safe from any thread.
 *
 * @param <T> the modelled class
 */
public final class MappedClass<T> {

  /** What kind of class it is to the row mapper. */
  public enum Kind { SIMPLE, RECORD, BEAN, UNMAPPABLE }

  /** What a table or column name must look like: a plain SQL identifier of at most 63 characters. */
  public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  private static final ClassValue<MappedClass<?>> CACHE = new ClassValue<>() {
    @Override
    protected MappedClass<?> computeValue(Class<?> type) {
      return ClassInspector.inspect(type);
    }
  };

  private final Class<T> type;
  private final Kind kind;
  private final @Nullable String problem;
  /** Record: {@code (Object[])Object} over the canonical constructor; POJO: {@code ()Object}. */
  private final @Nullable MethodHandle constructor;
  private final List<MappedProperty> properties;

  private final @Nullable String entityProblem;
  private final @Nullable String table;
  private final List<MappedProperty> columns;
  private final @Nullable MappedProperty id;
  private final @Nullable MappedProperty version;
  private final boolean idGenerated;

  /** The shape; the entity part comes from {@link #withEntity} or {@link #withEntityProblem}. */
  MappedClass(Class<T> type, Kind kind, @Nullable String problem, @Nullable MethodHandle constructor,
      List<MappedProperty> properties) {
    this(type, kind, problem, constructor, properties, null, null, List.of(), null, null, false);
  }

  private MappedClass(Class<T> type, Kind kind, @Nullable String problem, @Nullable MethodHandle constructor,
      List<MappedProperty> properties, @Nullable String entityProblem, @Nullable String table,
      List<MappedProperty> columns, @Nullable MappedProperty id, @Nullable MappedProperty version,
      boolean idGenerated) {
    this.type = type;
    this.kind = kind;
    this.problem = problem;
    this.constructor = constructor;
    this.properties = properties;
    this.entityProblem = entityProblem;
    this.table = table;
    this.columns = columns;
    this.id = id;
    this.version = version;
    this.idGenerated = idGenerated;
  }

  MappedClass<T> withEntity(String table, List<MappedProperty> columns, MappedProperty id,
      @Nullable MappedProperty version, boolean idGenerated) {
    return new MappedClass<>(type, kind, problem, constructor, properties, null, table,
        List.copyOf(columns), id, version, idGenerated);
  }

  MappedClass<T> withEntityProblem(String entityProblem) {
    return new MappedClass<>(type, kind, problem, constructor, properties, entityProblem, null,
        List.of(), null, null, false);
  }

  /** The cached model of {@code type}. Any thread. */
  @SuppressWarnings("unchecked")
  public static <T> MappedClass<T> of(Class<T> type) {
    return (MappedClass<T>) CACHE.get(type);
  }

  /**
   * The cached model of {@code type}, which a session can use. Any thread.
   *
   * @throws MappingException naming the class and the problem: not a record or POJO (a simple type,
   *     an interface, an abstract or inner class), no id property, more than one {@link Id}, a
   *     non-integral {@link Version}, an unreadable property, or a table or column name that is
   *     not a plain identifier
   * @throws NullPointerException if {@code type} is null
   */
  public static <T> MappedClass<T> entity(Class<T> type) {
    MappedClass<T> model = of(type);
    if (model.entityProblem != null) {
      throw new MappingException(model.entityProblem);
    }
    return model;
  }

  /** {@link #entity} of {@code instance}'s class, typed for code that handles any entity. */
  @SuppressWarnings("unchecked")
  public static MappedClass<Object> entityOf(Object instance) {
    return (MappedClass<Object>) entity(instance.getClass());
  }

  // ---------------------------------------------------------------- shape

  /** The class. */
  public Class<T> type() {
    return type;
  }

  /** Its kind. */
  public Kind kind() {
    return kind;
  }

  /** Whether it is a record (immutable: changes are new instances). */
  public boolean isRecord() {
    return kind == Kind.RECORD;
  }

  /** Why it cannot be mapped; null unless {@link Kind#UNMAPPABLE}. */
  public @Nullable String problem() {
    return problem;
  }

  /** Record components in declaration order (transient ones included), or the POJO's writable properties. */
  public List<MappedProperty> properties() {
    return properties;
  }

  /** "record com.x.User" or "class com.x.User", for messages. */
  public String describe() {
    return (kind == Kind.RECORD ? "record " : "class ") + type.getName();
  }

  /**
   * A new record from its components, in {@link #properties()} order; whatever the constructor
   * throws propagates.
   */
  public T newRecord(@Nullable Object[] components) throws Throwable {
    return type.cast((Object) constructor.invokeExact(components));
  }

  /**
   * Record only: the canonical constructor as a direct handle, {@code (components...)T}, for
   * composing it with the reads of its components.
   *
   * @throws IllegalStateException when it cannot be looked up (it was when this model was built)
   */
  public MethodHandle canonicalConstructor() {
    java.lang.reflect.RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      java.lang.reflect.Constructor<T> constructor = type.getDeclaredConstructor(types);
      constructor.trySetAccessible();
      return java.lang.invoke.MethodHandles.lookup().unreflectConstructor(constructor);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("The canonical constructor of " + type.getName() + " is gone", e);
    }
  }

  /** A new POJO from its no-arg constructor; whatever the constructor throws propagates. */
  public T newBean() throws Throwable {
    return type.cast((Object) constructor.invokeExact());
  }

  // ---------------------------------------------------------------- entity

  /** The table name, possibly {@code schema.table}; every part is a plain identifier. */
  public String table() {
    return table;
  }

  /** The persistent properties (not transient), in {@link #properties()} order, the id among them. */
  public List<MappedProperty> columns() {
    return columns;
  }

  /** The identifier property. */
  public MappedProperty id() {
    return id;
  }

  /** The version property, or {@code null} when the entity has none. */
  public @Nullable MappedProperty version() {
    return version;
  }

  /** Whether an unset integral id is generated by the database (see {@link Id#generated()}). */
  public boolean idGenerated() {
    return idGenerated;
  }

  /**
   * Whether {@code value} is the "unset" value of a generated id: {@code null}, or zero for an
   * integral id.
   */
  public boolean isUnsetId(@Nullable Object value) {
    return value == null || (idGenerated && value instanceof Number n && n.longValue() == 0);
  }

  /**
   * Reads {@code property} of {@code entity}. Any thread.
   *
   * @throws MappingException when the accessor throws
   */
  public @Nullable Object read(T entity, MappedProperty property) {
    try {
      return property.read(entity);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot read property '" + property.name() + "' of " + describe()
          + ": " + e, null, e);
    }
  }

  /** The values of every column of {@code entity}, in {@link #columns()} order. */
  public @Nullable Object[] values(T entity) {
    @Nullable Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(entity, columns.get(i));
    }
    return values;
  }

  /**
   * {@code entity} with {@code property} set to {@code value}: the same POJO, written through its
   * setter or field, or a new record copied from {@code entity}. The value is converted to the
   * property's type first ({@link TypeConverter}).
   *
   * @throws MappingException when the value cannot be converted or the setter or constructor throws
   */
  public T with(T entity, MappedProperty property, @Nullable Object value) {
    Object converted = TypeConverter.convert(value, property.type());
    if (!isRecord()) {
      try {
        property.write(entity, converted);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot write property '" + property.name() + "' of "
            + describe() + ": " + e, null, e);
      }
      return entity;
    }
    @Nullable Object[] arguments = new Object[properties.size()];
    for (int i = 0; i < arguments.length; i++) {
      try {
        arguments[i] = properties.get(i).read(entity);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot read component " + i + " of " + describe() + ": " + e,
            null, e);
      }
    }
    arguments[property.index()] = converted;
    try {
      return newRecord(arguments);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot copy " + describe() + ": its constructor threw " + e,
          null, e);
    }
  }

  /**
   * Copies every column of {@code source} into the POJO {@code target} (for refresh and merge).
   * Records cannot be written: use the source instead.
   *
   * @throws IllegalStateException for a record
   */
  public void copyInto(T source, T target) {
    if (isRecord()) {
      throw new IllegalStateException("records are immutable");
    }
    for (MappedProperty property : columns) {
      with(target, property, read(source, property));
    }
  }
}
