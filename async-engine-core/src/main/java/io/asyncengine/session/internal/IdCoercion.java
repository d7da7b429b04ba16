package io.asyncengine.session.internal;

import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.session.EntityKey;
import io.asyncengine.types.TypeConverter;

/**
 * Turns an id given by the caller into the identity-map key of an entity: the id must be of the
 * id property's type, except that an integral literal of another width is the same id
 * ({@code get(User.class, 1)} for a {@code long} id), so one row never has two keys.
 *
 * <p>Thread: stateless.
 */
public final class IdCoercion {

  private IdCoercion() {}

  /**
   * The identity key of the {@code model} entity with {@code id}, converted to the id's type.
   *
   * @throws InvalidRequestException when {@code id} is null or not of the id's type
   */
  public static EntityKey key(MappedClass<?> model, Object id) {
    Class<?> idType = model.id().type();
    if (id == null) {
      throw new InvalidRequestException("The id for " + model.type().getName()
          + " must not be null");
    }
    Class<?> boxed = box(idType);
    if (boxed.isInstance(id)) {
      return new EntityKey(model.type(), id);
    }
    if (id instanceof Number && Number.class.isAssignableFrom(boxed)
        && !(id instanceof Double) && !(id instanceof Float)) {
      try {
        return new EntityKey(model.type(), TypeConverter.convert(id, boxed));
      } catch (RuntimeException e) {
        // fall through to the type error
      }
    }
    throw new InvalidRequestException("The id of " + model.type().getName() + " is a "
        + idType.getName() + ", not a " + id.getClass().getName() + " (" + id + ")");
  }

  private static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return switch (type.getName()) {
      case "long" -> Long.class;
      case "int" -> Integer.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "boolean" -> Boolean.class;
      case "char" -> Character.class;
      case "double" -> Double.class;
      default -> Float.class;
    };
  }
}
