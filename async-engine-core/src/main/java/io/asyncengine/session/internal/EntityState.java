package io.asyncengine.session.internal;

import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.session.EntityKey;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What a session knows about one entity it tracks: its current instance (for a record, the latest
 * replacement), its status, and a snapshot of the column values last read from or written to the
 * database, against which dirtiness is computed.
 *
 * <p>Thread: confined to the session's operations (never used by two threads at once).
 */
public final class EntityState {

  /** Lifecycle of a tracked entity (SQLAlchemy's object states, minus transient and detached). */
  public enum Status { PENDING, PERSISTENT, DELETED }

  /** The entity's class model. */
  public final MappedClass<Object> model;
  /** The current instance; replaced for records. */
  public Object instance;
  /** The status. */
  public Status status;
  /** The identity, once known (persistent entities always have one). */
  public @Nullable EntityKey key;
  /** Column values as last loaded or flushed, in {@link MappedClass#columns()} order; null while pending. */
  public @Nullable Object @Nullable [] snapshot;
  /**
   * Whether the loaded state is stale and must be re-read before use. The snapshot of an expired
   * entity holds its values when it was expired, so changes made since still count as changes.
   */
  public boolean expired;

  /** A state for {@code instance}. */
  @SuppressWarnings("unchecked")
  public EntityState(MappedClass<?> model, Object instance, Status status) {
    this.model = (MappedClass<Object>) model;
    this.instance = instance;
    this.status = status;
  }

  /** The current column values of the instance. */
  public @Nullable Object[] currentValues() {
    return model.values(instance);
  }

  /** Whether the instance differs from the snapshot (always true while pending). */
  public boolean isModified() {
    if (status == Status.PENDING || snapshot == null) {
      return status == Status.PENDING;
    }
    return !Arrays.equals(snapshot, currentValues());
  }

  /**
   * Whether a flush must UPDATE it: persistent and changed since it was loaded, flushed or
   * expired (a change made to an expired entity is written, as SQLAlchemy does).
   */
  public boolean needsUpdate() {
    return status == Status.PERSISTENT && isModified();
  }

  /**
   * Marks the state stale, discarding unflushed changes (as SQLAlchemy's expire does): the
   * values it holds now become the baseline, so only changes made after this count.
   */
  public void expire() {
    expired = true;
    if (status != Status.PENDING) {
      snapshot = currentValues();
    }
  }
}
