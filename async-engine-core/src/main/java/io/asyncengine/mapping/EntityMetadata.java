package io.asyncengine.mapping;

import io.asyncengine.types.TypeConverter;

import io.asyncengine.error.MappingException;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a record or POJO looks like to a session: its table, its columns, its id and version
 * properties, and how to read and write them. Names follow the convention ({@code UserAccount} to
 * {@code user_account}, {@code createdAt} to {@code created_at}) unless {@link Table} or {@link
 * Column} say otherwise; {@link Transient} excludes a property; {@link Id} and {@link Version}
 * mark the identifier and the version counter.
 *
 * <p>Computed once per class by reflection on top of the row mapper's own metadata, and cached (a
 * {@link ClassValue}); a class that cannot be an entity is cached with the reason and {@link #of}
 * throws it on every use. Every table and column name is checked against {@link #IDENTIFIER} here,
 * so SQL built from metadata never contains anything but plain identifiers.
 *
 * <p>Thread: immutable; safe from any thread.
 *
 * @param <T> the entity type
 */
public final class EntityMetadata<T> {

  /** What a table or column name must look like: a plain SQL identifier of at most 63 characters. */
  public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  private static final Set<Class<?>> INTEGRAL = Set.of(long.class, Long.class, int.class,
      Integer.class, short.class, Short.class);

  private static final MethodType READER_TYPE = MethodType.methodType(Object.class, Object.class);

  private static final ClassValue<Object> CACHE = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      try {
        return inspect(type);
      } catch (MappingException e) {
        return e.getMessage();
      }
    }
  };

  /** One persistent property: a record component or POJO property stored in one column. */
  public static final class Property {
    private final String name;
    private final String column;
    private final Class<?> type;
    private final MethodHandle reader;
    private final MethodHandle writer;
    private final int componentIndex;

    Property(String name, String column, Class<?> type, MethodHandle reader, MethodHandle writer,
        int componentIndex) {
      this.name = name;
      this.column = column;
      this.type = type;
      this.reader = reader;
      this.writer = writer;
      this.componentIndex = componentIndex;
    }

    /** The Java name. */
    public String name() {
      return name;
    }

    /** The column name (validated against {@link #IDENTIFIER}). */
    public String column() {
      return column;
    }

    /** The Java type. */
    public Class<?> type() {
      return type;
    }

    @Override
    public String toString() {
      return name + " (" + column + ")";
    }
  }

  private final Class<T> type;
  private final MappedClass mapped;
  private final String table;
  private final List<Property> properties;
  private final Property id;
  private final Property version;
  private final boolean idGenerated;
  /** Record only: a reader per component (transient ones included), for copies. */
  private final MethodHandle[] componentReaders;

  private EntityMetadata(Class<T> type, MappedClass mapped, String table, List<Property> properties,
      Property id, Property version, boolean idGenerated, MethodHandle[] componentReaders) {
    this.componentReaders = componentReaders;
    this.type = type;
    this.mapped = mapped;
    this.table = table;
    this.properties = properties;
    this.id = id;
    this.version = version;
    this.idGenerated = idGenerated;
  }

  /**
   * The cached metadata of {@code type}. Any thread.
   *
   * @throws MappingException naming the class and the problem: not a record or POJO (a simple type,
   *     an interface, an abstract or inner class), no id property, more than one {@link Id}, a
   *     non-integral {@link Version}, or a table or column name that is not a plain identifier
   * @throws NullPointerException if {@code type} is null
   */
  @SuppressWarnings("unchecked")
  public static <T> EntityMetadata<T> of(Class<T> type) {
    Object cached = CACHE.get(type);
    if (cached instanceof String problem) {
      throw new MappingException(problem);
    }
    return (EntityMetadata<T>) cached;
  }

  /** The entity class. */
  public Class<T> type() {
    return type;
  }

  /** The table name, possibly {@code schema.table}; every part is a plain identifier. */
  public String table() {
    return table;
  }

  /** The persistent properties, in declaration order (the id among them). */
  public List<Property> properties() {
    return properties;
  }

  /** The identifier property. */
  public Property id() {
    return id;
  }

  /** The version property, or {@code null} when the entity has none. */
  public Property version() {
    return version;
  }

  /** Whether an unset integral id is generated by the database (see {@link Id#generated()}). */
  public boolean idGenerated() {
    return idGenerated;
  }

  /** Whether the entity is a record (immutable: changes are new instances). */
  public boolean isRecord() {
    return mapped.kind == MappedClass.Kind.RECORD;
  }

  /** "record com.x.User" or "class com.x.User", for messages. */
  public String describe() {
    return mapped.describe();
  }

  /**
   * Whether {@code value} is the "unset" value of a generated id: {@code null}, or zero for an
   * integral id.
   */
  public boolean isUnsetId(Object value) {
    return value == null || (idGenerated && value instanceof Number n && n.longValue() == 0);
  }

  /**
   * Reads {@code property} of {@code entity}. Any thread.
   *
   * @throws MappingException when the accessor throws
   */
  public Object read(T entity, Property property) {
    try {
      return (Object) property.reader.invokeExact((Object) entity);
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot read property '" + property.name + "' of " + describe()
          + ": " + e, null, e);
    }
  }

  /** The values of every persistent property of {@code entity}, in {@link #properties()} order. */
  public Object[] values(T entity) {
    Object[] values = new Object[properties.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(entity, properties.get(i));
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
  public T with(T entity, Property property, Object value) {
    Object converted = TypeConverter.convert(value, property.type);
    if (!isRecord()) {
      try {
        property.writer.invokeExact((Object) entity, converted);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot write property '" + property.name + "' of "
            + describe() + ": " + e, null, e);
      }
      return entity;
    }
    Object[] arguments = new Object[componentReaders.length];
    for (int i = 0; i < arguments.length; i++) {
      try {
        arguments[i] = (Object) componentReaders[i].invokeExact((Object) entity);
      } catch (Error e) {
        throw e;
      } catch (Throwable e) {
        throw new MappingException("Cannot read component " + i + " of " + describe() + ": " + e,
            null, e);
      }
    }
    arguments[property.componentIndex] = converted;
    try {
      return type.cast((Object) mapped.constructor.invokeExact(arguments));
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw new MappingException("Cannot copy " + describe() + ": its constructor threw " + e,
          null, e);
    }
  }

  /**
   * Copies every persistent property of {@code source} into the POJO {@code target} (for refresh
   * and merge). Records cannot be written: use the source instead.
   *
   * @throws IllegalStateException for a record
   */
  public void copyInto(T source, T target) {
    if (isRecord()) {
      throw new IllegalStateException("records are immutable");
    }
    for (Property property : properties) {
      with(target, property, read(source, property));
    }
  }

  // ---------------------------------------------------------------- inspection

  private static <T> EntityMetadata<T> inspect(Class<T> type) {
    MappedClass mapped = MappedClass.of(type);
    String what = "Cannot use " + type.getName() + " as an entity: ";
    switch (mapped.kind) {
      case SIMPLE -> throw new MappingException(what + "it is a simple value type, not a record or POJO");
      case UNMAPPABLE -> throw new MappingException(what + mapped.problem);
      default -> { }
    }
    Table tableAnnotation = type.getAnnotation(Table.class);
    String table = tableAnnotation != null ? tableAnnotation.value()
        : NameConvention.toSnakeCase(type.getSimpleName());
    for (String part : table.split("\\.", -1)) {
      if (!IDENTIFIER.matcher(part).matches()) {
        throw new MappingException(what + "table name '" + table + "' is not a plain SQL identifier");
      }
    }
    List<Property> properties = new ArrayList<>();
    Property id = null;
    Property byName = null;
    Property version = null;
    boolean generated = true;
    for (int i = 0; i < mapped.properties.size(); i++) {
      MappedProperty source = mapped.properties.get(i);
      if (source.isTransient) {
        continue;
      }
      AnnotatedElement[] sites = sites(type, mapped, source, i);
      Column column = find(sites, Column.class);
      String columnName = column != null ? column.value() : NameConvention.toSnakeCase(source.name);
      if (!IDENTIFIER.matcher(columnName).matches()) {
        throw new MappingException(what + "column name '" + columnName + "' of property '"
            + source.name + "' is not a plain SQL identifier");
      }
      Property property = new Property(source.name, columnName, source.type,
          reader(type, mapped, source, i), source.writer, i);
      properties.add(property);
      Id idAnnotation = find(sites, Id.class);
      if (idAnnotation != null) {
        if (id != null) {
          throw new MappingException(what + "more than one @Id ('" + id.name + "', '"
              + source.name + "'); composite keys are not supported");
        }
        id = property;
        generated = idAnnotation.generated();
      }
      if (source.name.equals("id")) {
        byName = property;
      }
      if (find(sites, Version.class) != null) {
        if (!INTEGRAL.contains(source.type)) {
          throw new MappingException(what + "@Version property '" + source.name
              + "' must be an int or a long, not " + source.type.getName());
        }
        version = property;
      }
    }
    if (id == null) {
      id = byName;
    }
    if (id == null) {
      throw new MappingException(what + "it has no id: annotate a property with @Id or name one 'id'");
    }
    if (id == version) {
      throw new MappingException(what + "property '" + id.name + "' cannot be both @Id and @Version");
    }
    MethodHandle[] componentReaders = null;
    if (mapped.kind == MappedClass.Kind.RECORD) {
      componentReaders = new MethodHandle[mapped.properties.size()];
      for (int i = 0; i < componentReaders.length; i++) {
        componentReaders[i] = reader(type, mapped, mapped.properties.get(i), i);
      }
    }
    return new EntityMetadata<>(type, mapped, table, List.copyOf(properties), id, version,
        generated && INTEGRAL.contains(id.type), componentReaders);
  }

  /** Where annotations of a property may sit: the record component, or the POJO field and accessors. */
  private static AnnotatedElement[] sites(Class<?> type, MappedClass mapped, MappedProperty property,
      int index) {
    if (mapped.kind == MappedClass.Kind.RECORD) {
      return new AnnotatedElement[] {type.getRecordComponents()[index]};
    }
    List<AnnotatedElement> sites = new ArrayList<>(3);
    Field field = field(type, property.name);
    if (field != null) {
      sites.add(field);
    }
    Method getter = getter(type, property.name);
    if (getter != null) {
      sites.add(getter);
    }
    return sites.toArray(new AnnotatedElement[0]);
  }

  private static <A extends Annotation> A find(AnnotatedElement[] sites, Class<A> annotation) {
    for (AnnotatedElement site : sites) {
      A found = site.getAnnotation(annotation);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static MethodHandle reader(Class<?> type, MappedClass mapped, MappedProperty property,
      int index) {
    try {
      if (mapped.kind == MappedClass.Kind.RECORD) {
        Method accessor = type.getRecordComponents()[index].getAccessor();
        accessor.trySetAccessible();
        return MethodHandles.lookup().unreflect(accessor).asType(READER_TYPE);
      }
      Method getter = getter(type, property.name);
      if (getter != null) {
        getter.trySetAccessible();
        return MethodHandles.lookup().unreflect(getter).asType(READER_TYPE);
      }
      Field field = field(type, property.name);
      if (field == null) {
        throw new MappingException("Cannot use " + type.getName() + " as an entity: property '"
            + property.name + "' has a setter but neither a getter nor a field to read it from");
      }
      field.setAccessible(true);
      return MethodHandles.lookup().unreflectGetter(field).asType(READER_TYPE);
    } catch (IllegalAccessException | RuntimeException e) {
      if (e instanceof MappingException mapping) {
        throw mapping;
      }
      throw new MappingException("Cannot use " + type.getName() + " as an entity: property '"
          + property.name + "' is not readable: " + e.getMessage(), null, e);
    }
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        if (!Modifier.isStatic(field.getModifiers())) {
          return field;
        }
      } catch (NoSuchFieldException ignored) {
        // look in the superclass
      }
    }
    return null;
  }

  private static Method getter(Class<?> type, String name) {
    String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String prefix : new String[] {"get", "is"}) {
      try {
        Method method = type.getMethod(prefix + suffix);
        if (!Modifier.isStatic(method.getModifiers()) && method.getReturnType() != void.class) {
          return method;
        }
      } catch (NoSuchMethodException ignored) {
        // try the next prefix
      }
    }
    return null;
  }
}
