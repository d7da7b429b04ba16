package io.asyncengine.mapping;

import io.asyncengine.types.TypeConverter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

/**
 * What a class looks like to the row mapper: simple type, record (canonical constructor and
 * components) or POJO (no-arg constructor and writable properties). Found by reflection once per
 * class and cached; a class that cannot be mapped is cached with the reason.
 *
 * <p>Thread: immutable; the cache is a {@link ClassValue}; safe from any thread.
 */
final class MappedClass {

  enum Kind { SIMPLE, RECORD, BEAN, UNMAPPABLE }

  private static final MethodType WRITER_TYPE =
      MethodType.methodType(void.class, Object.class, Object.class);

  private static final ClassValue<MappedClass> CACHE = new ClassValue<>() {
    @Override
    protected MappedClass computeValue(Class<?> type) {
      return inspect(type);
    }
  };

  final Class<?> type;
  final Kind kind;
  /** Why the class cannot be mapped; null unless {@link Kind#UNMAPPABLE}. */
  final String problem;
  /** Record: {@code (Object[])Object} over the canonical constructor; POJO: {@code ()Object}. */
  final MethodHandle constructor;
  /** Record components in declaration order, or the POJO's writable properties. */
  final List<MappedProperty> properties;

  private MappedClass(Class<?> type, Kind kind, String problem, MethodHandle constructor,
      List<MappedProperty> properties) {
    this.type = type;
    this.kind = kind;
    this.problem = problem;
    this.constructor = constructor;
    this.properties = properties;
  }

  /** The cached description of {@code type}. */
  static MappedClass of(Class<?> type) {
    return CACHE.get(type);
  }

  /** "record com.x.User" or "class com.x.User", for messages. */
  String describe() {
    return (kind == Kind.RECORD ? "record " : "class ") + type.getName();
  }

  private static MappedClass inspect(Class<?> type) {
    if (TypeConverter.isSimpleType(type)) {
      return new MappedClass(type, Kind.SIMPLE, null, null, List.of());
    }
    if (type.isRecord()) {
      return inspectRecord(type);
    }
    String problem = whyNotBean(type);
    if (problem != null) {
      return unmappable(type, problem);
    }
    return inspectBean(type);
  }

  private static String whyNotBean(Class<?> type) {
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

  private static MappedClass unmappable(Class<?> type, String problem) {
    return new MappedClass(type, Kind.UNMAPPABLE, problem, null, List.of());
  }

  private static MappedClass inspectRecord(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    List<MappedProperty> properties = new ArrayList<>(components.length);
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      Column column = component.getAnnotation(Column.class);
      properties.add(new MappedProperty(component.getName(),
          column != null ? column.value() : component.getName(), component.getType(),
          component.isAnnotationPresent(Transient.class), null));
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      MethodHandle handle = unreflect(constructor)
          .asSpreader(Object[].class, components.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
      return new MappedClass(type, Kind.RECORD, null, handle, List.copyOf(properties));
    } catch (NoSuchMethodException e) {
      return unmappable(type, "no canonical constructor");
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(type, e));
    }
  }

  private static MappedClass inspectBean(Class<?> type) {
    MethodHandle constructor;
    try {
      constructor = unreflect(type.getDeclaredConstructor())
          .asType(MethodType.methodType(Object.class));
    } catch (NoSuchMethodException e) {
      return unmappable(type, "no no-arg constructor");
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(type, e));
    }
    try {
      return new MappedClass(type, Kind.BEAN, null, constructor, beanProperties(type));
    } catch (IllegalAccessException | RuntimeException e) {
      return unmappable(type, inaccessible(type, e));
    }
  }

  /**
   * Writable properties keyed by normalized Java name: a public setter wins over its field; a
   * field is writable unless static, final, {@code transient} or {@link Transient}.
   */
  private static List<MappedProperty> beanProperties(Class<?> type) throws IllegalAccessException {
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
    Map<String, MappedProperty> properties = new LinkedHashMap<>();
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
      Column column = setter.getAnnotation(Column.class);
      if (column == null && field != null) {
        column = field.getAnnotation(Column.class);
      }
      String fieldName = field != null ? field.getName() : name;
      properties.put(key, new MappedProperty(fieldName, column != null ? column.value() : fieldName,
          parameter, false, unreflect(setter).asType(WRITER_TYPE)));
    }
    for (Map.Entry<String, Field> entry : fields.entrySet()) {
      Field field = entry.getValue();
      if (properties.containsKey(entry.getKey()) || Modifier.isFinal(field.getModifiers())) {
        continue;
      }
      Column column = field.getAnnotation(Column.class);
      field.setAccessible(true);
      properties.put(entry.getKey(), new MappedProperty(field.getName(),
          column != null ? column.value() : field.getName(), field.getType(), false,
          MethodHandles.lookup().unreflectSetter(field).asType(WRITER_TYPE)));
    }
    return List.copyOf(properties.values());
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

  private static MethodHandle unreflect(Constructor<?> constructor) throws IllegalAccessException {
    constructor.trySetAccessible();
    return MethodHandles.lookup().unreflectConstructor(constructor);
  }

  private static MethodHandle unreflect(Method method) throws IllegalAccessException {
    // A public setter of a non-public class still needs access to the class.
    method.trySetAccessible();
    return MethodHandles.lookup().unreflect(method);
  }

  private static String inaccessible(Class<?> type, Exception e) {
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
}
