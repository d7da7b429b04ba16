package io.asyncengine.session;

import java.util.Objects;

/**
 * The identity of an entity in a session's identity map (SQLAlchemy's identity key): its class and
 * its id, converted to the id property's type.
 *
 * <p>Thread: immutable.
 *
 * @param type the entity class
 * @param id the id value, never null
 */
public record EntityKey(Class<?> type, Object id) {

  /** Checks both parts are present. */
  public EntityKey {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(id, "id must not be null");
  }

  @Override
  public String toString() {
    return type.getSimpleName() + "(id=" + id + ")";
  }
}
