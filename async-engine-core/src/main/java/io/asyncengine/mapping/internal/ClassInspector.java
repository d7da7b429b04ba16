package io.asyncengine.mapping.internal;

import io.asyncengine.mapping.Column;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.NameConvention;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Transient;
import io.asyncengine.mapping.Version;
import io.asyncengine.types.TypeConverter;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link MappedClass} by reflection: first its shape (what the row mapper needs), then
 * whether and how it can be an entity (what a session needs), keeping the reason when it cannot.
 *
 * <p>Annotations of a POJO property are looked up on its setter, then its field, then its getter;
 * those of a record component on the component.
 *
 * <p>Thread: stateless; called by {@link MappedClass}'s cache, once per class.
 */
final class ClassInspector {

  private static final MethodType READER_TYPE = MethodType.methodType(Object.class, Object.class);
  private static final MethodType WRITER_TYPE =
      MethodType.methodType(void.class, Object.class, Object.class);

  private static final Set<Class<?>> INTEGRAL = Set.of(long.class, Long.class, int.class,
      Integer.class, short.class, Short.class);

  /** A property as found, before its column name is settled. */
  private record Found(String name, Class<?> type, boolean isTransient, AnnotatedElement[] sites,
      @Nullable MethodHandle reader, @Nullable String unreadable, @Nullable MethodHandle writer) {}

  /** The model of a class, with a reason instead of a shape when its reflection fails. */
  private record Shape(MappedClass<?> mapped, List<Found> found) {}

  private ClassInspector() {}

  static <T> MappedClass<T> inspect(Class<T> type) {
    Shape shape = shape(type);
    @SuppressWarnings("unchecked")
    MappedClass<T> mapped = (MappedClass<T>) shape.mapped;
    try {
      return entity(mapped, shape.found);
    } catch (EntityProblem problem) {
      return mapped.withEntityProblem(problem.getMessage());
    }
  }

  // ---------------------------------------------------------------- shape

  private static Shape shape(Class<?> type) {
    if (TypeConverter.isSimpleType(type)) {
      return new Shape(new MappedClass<>(type, MappedClass.Kind.SIMPLE, null, null, List.of()),
          List.of());
    }
    if (type.isRecord()) {
      return record(type);
    }
    String problem = whyNotBean(type);
    if (problem != null) {
      return unmappable(type, problem);
    }
    return bean(type);
  }

  private static @Nullable String whyNotBean(Class<?> type) {
    if (type.isPrimitive() || type.isArray()) {
      return "arrays and void are not supported";
    }
    if (type.isInterface()) {
      return "it is an interface";
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      return "it is abstract";
    }
    if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
      return "it is an inner class; make it static";
    }
    return null;
  }

  private static Shape unmappable(Class<?> type, String problem) {
    return new Shape(new MappedClass<>(type, MappedClass.Kind.UNMAPPABLE, problem, null, List.of()),
        List.of());
  }

  private static Shape record(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    List<Found> found = new ArrayList<>(components.length);
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      MethodHandle reader = null;
      String unreadable = null;
      try {
        Method accessor = component.getAccessor();
        accessor.trySetAccessible();
        reader = MethodHandles.lookup().unreflect(accessor).asType(READER_TYPE);
      } catch (IllegalAccessException | RuntimeException e) {
        unreadable = "is not readable: " + e.getMessage();
      }
      found.add(new Found(component.getName(), component.getType(),
          component.isAnnotationPresent(Transient.class), new AnnotatedElement[] {component},
          reader, unreadable, null));
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      MethodHandle handle = unreflect(constructor)
          .asSpreader(Object[].class, components.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
      return shaped(type, MappedClass.Kind.RECORD, handle, found);
    } catch (NoSuchMethodException e) {
      return unmappable(type, "no canonical constructor");
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(e));
    }
  }

  private static Shape bean(Class<?> type) {
    MethodHandle constructor;
    try {
      constructor = unreflect(type.getDeclaredConstructor())
          .asType(MethodType.methodType(Object.class));
    } catch (NoSuchMethodException e) {
      return unmappable(type, "no no-arg constructor");
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(e));
    }
    try {
      return shaped(type, MappedClass.Kind.BEAN, constructor, beanProperties(type));
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(e));
    }
  }

  private static Shape shaped(Class<?> type, MappedClass.Kind kind, MethodHandle constructor,
      List<Found> found) {
    List<MappedProperty> properties = new ArrayList<>(found.size());
    for (int i = 0; i < found.size(); i++) {
      Found property = found.get(i);
      Column column = find(property.sites, Column.class);
      properties.add(new MappedProperty(property.name,
          column != null ? column.value() : NameConvention.toSnakeCase(property.name),
          property.type, property.isTransient, i, property.reader, property.writer));
    }
    return new Shape(new MappedClass<>(type, kind, null, constructor, List.copyOf(properties)),
        found);
  }

  /**
   * Writable properties keyed by normalized Java name: a public setter wins over its field; a
   * field is writable unless static, final, {@code transient} or {@link Transient}.
   */
  private static List<Found> beanProperties(Class<?> type) throws IllegalAccessException {
    Map<String, Field> fields = new LinkedHashMap<>();
    Map<String, Field> transientFields = new LinkedHashMap<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || field.isSynthetic()) {
          continue;
        }
        String key = NameConvention.normalize(field.getName());
        boolean excluded = Modifier.isTransient(modifiers) || field.isAnnotationPresent(Transient.class);
        // A subclass field hides a superclass field of the same name.
        if (!fields.containsKey(key) && !transientFields.containsKey(key)) {
          (excluded ? transientFields : fields).put(key, field);
        }
      }
    }
    Map<String, Found> properties = new LinkedHashMap<>();
    for (Method setter : setters(type)) {
      String name = decapitalize(setter.getName().substring(3));
      String key = NameConvention.normalize(name);
      if (properties.containsKey(key) || transientFields.containsKey(key)) {
        continue;
      }
      Field field = fields.get(key);
      Class<?> parameter = setter.getParameterTypes()[0];
      if (field != null && field.getType() != parameter && hasSetterFor(type, setter, field)) {
        continue; // an overload that takes the field's own type comes later and wins
      }
      String propertyName = field != null ? field.getName() : name;
      properties.put(key, beanProperty(type, propertyName, parameter, setter, field,
          unreflect(setter).asType(WRITER_TYPE)));
    }
    for (Map.Entry<String, Field> entry : fields.entrySet()) {
      Field field = entry.getValue();
      if (properties.containsKey(entry.getKey()) || Modifier.isFinal(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      properties.put(entry.getKey(), beanProperty(type, field.getName(), field.getType(), null,
          field, MethodHandles.lookup().unreflectSetter(field).asType(WRITER_TYPE)));
    }
    return List.copyOf(properties.values());
  }

  /** A POJO property: read through its getter, else its field (a session needs one of them). */
  private static Found beanProperty(Class<?> type, String name, Class<?> propertyType,
      @Nullable Method setter, @Nullable Field field, MethodHandle writer) {
    Method getter = getter(type, name);
    List<AnnotatedElement> sites = new ArrayList<>(3);
    for (AnnotatedElement site : new @Nullable AnnotatedElement[] {setter, field, getter}) {
      if (site != null) {
        sites.add(site);
      }
    }
    MethodHandle reader = null;
    String unreadable = null;
    try {
      if (getter != null) {
        getter.trySetAccessible();
        reader = MethodHandles.lookup().unreflect(getter).asType(READER_TYPE);
      } else if (field != null) {
        field.setAccessible(true);
        reader = MethodHandles.lookup().unreflectGetter(field).asType(READER_TYPE);
      } else {
        unreadable = "has a setter but neither a getter nor a field to read it from";
      }
    } catch (IllegalAccessException | RuntimeException e) {
      unreadable = "is not readable: " + e.getMessage();
    }
    return new Found(name, propertyType, false, sites.toArray(new AnnotatedElement[0]), reader,
        unreadable, writer);
  }

  /** Public one-argument {@code setX} methods, in a stable order so overload choice is too. */
  private static List<Method> setters(Class<?> type) {
    List<Method> setters = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (method.getParameterCount() == 1 && method.getName().length() > 3
          && method.getName().startsWith("set") && !Modifier.isStatic(method.getModifiers())
          && !method.isBridge() && !method.isSynthetic()
          && method.getDeclaringClass() != Object.class) {
        setters.add(method);
      }
    }
    setters.sort(Comparator.comparing(Method::getName)
        .thenComparing(m -> m.getParameterTypes()[0].getName()));
    return setters;
  }

  private static boolean hasSetterFor(Class<?> type, Method setter, Field field) {
    try {
      type.getMethod(setter.getName(), field.getType());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The public {@code getX} or {@code isX} of property {@code name}, or null. */
  private static @Nullable Method getter(Class<?> type, String name) {
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

  private static MethodHandle unreflect(Constructor<?> constructor) throws IllegalAccessException {
    constructor.trySetAccessible();
    return MethodHandles.lookup().unreflectConstructor(constructor);
  }

  private static MethodHandle unreflect(Method method) throws IllegalAccessException {
    // A public setter of a non-public class still needs access to the class.
    method.trySetAccessible();
    return MethodHandles.lookup().unreflect(method);
  }

  private static String inaccessible(Exception e) {
    return "it is not accessible (make it public or open its package to "
        + MappedClass.class.getModule() + "): " + e.getMessage();
  }

  private static String decapitalize(String name) {
    if (name.length() > 1 && Character.isUpperCase(name.charAt(1))
        && Character.isUpperCase(name.charAt(0))) {
      return name; // JavaBeans rule: setURL is property URL
    }
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static <A extends Annotation> @Nullable A find(AnnotatedElement[] sites, Class<A> annotation) {
    for (AnnotatedElement site : sites) {
      A found = site.getAnnotation(annotation);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- entity

  /** Why a class cannot be an entity; caught by {@link #inspect} and kept in the model. */
  private static final class EntityProblem extends Exception {
    EntityProblem(String message) {
      super(message, null, false, false);
    }
  }

  private static <T> MappedClass<T> entity(MappedClass<T> mapped, List<Found> found)
      throws EntityProblem {
    Class<T> type = mapped.type();
    String what = "Cannot use " + type.getName() + " as an entity: ";
    switch (mapped.kind()) {
      case SIMPLE -> throw new EntityProblem(what + "it is a simple value type, not a record or POJO");
      case UNMAPPABLE -> throw new EntityProblem(what + mapped.problem());
      default -> { }
    }
    Table tableAnnotation = type.getAnnotation(Table.class);
    String table = tableAnnotation != null ? tableAnnotation.value()
        : NameConvention.toSnakeCase(type.getSimpleName());
    for (String part : table.split("\\.", -1)) {
      if (!MappedClass.IDENTIFIER.matcher(part).matches()) {
        throw new EntityProblem(what + "table name '" + table + "' is not a plain SQL identifier");
      }
    }
    List<MappedProperty> columns = new ArrayList<>();
    MappedProperty id = null;
    MappedProperty byName = null;
    MappedProperty version = null;
    boolean generated = true;
    for (MappedProperty property : mapped.properties()) {
      if (property.isTransient()) {
        continue;
      }
      Found source = found.get(property.index());
      if (!MappedClass.IDENTIFIER.matcher(property.column()).matches()) {
        throw new EntityProblem(what + "column name '" + property.column() + "' of property '"
            + property.name() + "' is not a plain SQL identifier");
      }
      if (source.unreadable != null) {
        throw new EntityProblem(what + "property '" + property.name() + "' " + source.unreadable);
      }
      columns.add(property);
      Id idAnnotation = find(source.sites, Id.class);
      if (idAnnotation != null) {
        if (id != null) {
          throw new EntityProblem(what + "more than one @Id ('" + id.name() + "', '"
              + property.name() + "'); composite keys are not supported");
        }
        id = property;
        generated = idAnnotation.generated();
      }
      if (property.name().equals("id")) {
        byName = property;
      }
      if (find(source.sites, Version.class) != null) {
        if (!INTEGRAL.contains(property.type())) {
          throw new EntityProblem(what + "@Version property '" + property.name()
              + "' must be an int or a long, not " + property.type().getName());
        }
        version = property;
      }
    }
    if (id == null) {
      id = byName;
    }
    if (id == null) {
      throw new EntityProblem(what + "it has no id: annotate a property with @Id or name one 'id'");
    }
    if (id == version) {
      throw new EntityProblem(what + "property '" + id.name() + "' cannot be both @Id and @Version");
    }
    // A record is copied component by component, transient ones included.
    for (Found component : mapped.isRecord() ? found : List.<Found>of()) {
      if (component.unreadable != null) {
        throw new EntityProblem(what + "property '" + component.name + "' " + component.unreadable);
      }
    }
    return mapped.withEntity(table, columns, id, version, generated && INTEGRAL.contains(id.type()));
  }
}
