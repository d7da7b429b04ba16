package io.asyncengine.session.internal;

import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.mapping.internal.MappedClass;
import io.asyncengine.mapping.internal.MappedProperty;
import io.asyncengine.session.EntityKey;
import io.asyncengine.session.internal.EntityState.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a session tracks, and every change of an entity's status: the identity map (one state per
 * {@link EntityKey}, so one row is one Java object per session), an index by instance (every
 * instance a state ever held, so {@code current(oldRecord)} finds the replacement), the pending
 * and deleted lists in flush order, and the entities inserted and deleted in the current
 * transaction, which a rollback undoes. No I/O.
 *
 * <p>Invariants: a pending state has no key and is not in the identity map; a persistent or
 * deleted state is in the identity map under its key; a tracked state is in {@link
 * #deletedStates()} exactly while its status is {@link Status#DELETED}.
 *
 * <p>Thread: confined to the session's operations (never used by two threads at once).
 */
public final class IdentityMap {

  private final Map<EntityKey, EntityState> byKey = new LinkedHashMap<>();
  private final Map<Object, EntityState> byInstance = new IdentityHashMap<>();
  private final List<EntityState> pending = new ArrayList<>();
  private final List<EntityState> deleted = new ArrayList<>();
  /** Entities inserted and deleted in the current transaction, to undo on rollback. */
  private final List<EntityState> insertedInTransaction = new ArrayList<>();
  private final List<EntityState> deletedInTransaction = new ArrayList<>();

  // ---------------------------------------------------------------- lookups

  /** The state under {@code key}, or null. */
  public @Nullable EntityState get(EntityKey key) {
    return byKey.get(key);
  }

  /** Whether a state is under {@code key}. */
  public boolean containsKey(EntityKey key) {
    return byKey.containsKey(key);
  }

  /** Whether {@code instance} itself (not an equal record) is, or was, an instance of a state. */
  public boolean holds(Object instance) {
    return byInstance.get(instance) != null;
  }

  /**
   * The state of {@code entity}, or null when the session does not track it. A record equal to
   * the tracked one (records have value equality) is the same entity.
   *
   * @throws io.asyncengine.error.MappingException when {@code entity} is an untracked record that
   *     cannot be an entity
   */
  public @Nullable EntityState stateOf(@Nullable Object entity) {
    if (entity == null) {
      return null;
    }
    EntityState state = byInstance.get(entity);
    if (state != null || !entity.getClass().isRecord()) {
      return state;
    }
    MappedClass<Object> model = MappedClass.entityOf(entity);
    Object id = model.read(entity, model.id());
    if (model.isUnsetId(id)) {
      return null;
    }
    EntityState byId = byKey.get(IdCoercion.key(model, id));
    return byId != null && byId.instance.equals(entity) ? byId : null;
  }

  /**
   * The state of {@code entity}, for an operation that needs one.
   *
   * @throws InvalidRequestException naming the entity and {@code action} when it is not in this
   *     session
   * @throws io.asyncengine.error.MappingException when its class cannot be an entity
   */
  public EntityState require(Object entity, String action) {
    Objects.requireNonNull(entity, "entity");
    MappedClass<Object> model = MappedClass.entityOf(entity);
    EntityState state = stateOf(entity);
    if (state == null) {
      Object id = model.read(entity, model.id());
      throw new InvalidRequestException("Cannot " + action + " " + model.describe()
          + (model.isUnsetId(id) ? "" : " with id " + id) + ": it is not in this session"
          + " (detached, expunged or never added); load it with get() or add it first");
    }
    return state;
  }

  // ---------------------------------------------------------------- transitions

  /** Tracks {@code entity} as pending, after the entities already pending. */
  public void addPending(MappedClass<Object> model, Object entity) {
    EntityState state = new EntityState(model, entity, Status.PENDING);
    pending.add(state);
    byInstance.put(entity, state);
  }

  /** A persistent state becomes deleted: DELETEd at the next flush. */
  public void markDeleted(EntityState state) {
    state.status = Status.DELETED;
    deleted.add(state);
  }

  /** A deleted state becomes persistent again. */
  public void undelete(EntityState state) {
    state.status = Status.PERSISTENT;
    deleted.remove(state);
  }

  /** Drops {@code state} from everything the session tracks. */
  public void forget(EntityState state) {
    pending.remove(state);
    deleted.remove(state);
    if (state.key != null && byKey.get(state.key) == state) {
      byKey.remove(state.key);
    }
    byInstance.values().removeIf(s -> s == state);
  }

  /**
   * A pending state was INSERTed as {@code instance} (carrying its generated id and version):
   * it becomes persistent under {@code key}, its snapshot taken now.
   */
  public void inserted(EntityState state, Object instance, EntityKey key) {
    pending.remove(state);
    state.instance = instance;
    state.status = Status.PERSISTENT;
    state.key = key;
    state.snapshot = state.currentValues();
    state.expired = false;
    byKey.put(key, state);
    byInstance.put(instance, state);
    insertedInTransaction.add(state);
  }

  /** A persistent state was UPDATEd; {@code instance} carries its new version. */
  public void updated(EntityState state, Object instance) {
    if (instance != state.instance) {
      state.instance = instance;
      byInstance.put(instance, state);
    }
    state.snapshot = state.currentValues();
  }

  /** A deleted state's row was DELETEd: it leaves the session. */
  public void deletedFromDatabase(EntityState state) {
    deleted.remove(state);
    byKey.remove(state.key);
    byInstance.values().removeIf(s -> s == state);
    deletedInTransaction.add(state);
  }

  /**
   * The managed instance for {@code loaded}, freshly read under {@code key}: the tracked one
   * (refreshed when expired, kept as is otherwise), or {@code loaded}, now tracked as persistent.
   */
  public <T> T manage(MappedClass<T> model, EntityKey key, T loaded) {
    EntityState state = byKey.get(key);
    if (state == null) {
      state = new EntityState(model, loaded, Status.PERSISTENT);
      state.key = key;
      state.snapshot = state.currentValues();
      byKey.put(key, state);
      byInstance.put(loaded, state);
    } else if (state.expired) {
      loadKeepingChanges(state, loaded);
    }
    return model.type().cast(state.instance);
  }

  /**
   * Replaces {@code state}'s values with {@code loaded}'s, freshly read: in place for a POJO, as
   * the new instance for a record. The state is then loaded and persistent.
   */
  public void load(EntityState state, Object loaded) {
    takeValues(state, loaded);
    state.snapshot = state.currentValues();
    state.expired = false;
    if (state.status == Status.DELETED) {
      undelete(state);
    }
  }

  /**
   * Loads an expired state from {@code loaded}, freshly read, keeping the columns changed since it
   * was expired: those stay the instance's values and remain changes for the next flush.
   *
   * @return whether any change was kept
   */
  public boolean loadKeepingChanges(EntityState state, Object loaded) {
    @Nullable Object[] before = state.snapshot;
    @Nullable Object[] now = state.currentValues();
    takeValues(state, loaded);
    state.snapshot = state.currentValues();
    state.expired = false;
    boolean kept = false;
    List<MappedProperty> columns = state.model.columns();
    for (int i = 0; before != null && i < now.length; i++) {
      if (!Objects.equals(before[i], now[i])) {
        state.instance = state.model.with(state.instance, columns.get(i), now[i]);
        byInstance.put(state.instance, state);
        kept = true;
      }
    }
    if (state.status == Status.DELETED) {
      undelete(state);
    }
    return kept;
  }

  /**
   * Makes {@code source}'s values the state's (a merge): copied onto a POJO, the new instance for
   * a record. Written at the next flush, since the snapshot stays.
   */
  public void merge(EntityState state, Object source) {
    takeValues(state, source);
    if (state.status == Status.DELETED) {
      undelete(state);
    }
  }

  private void takeValues(EntityState state, Object source) {
    if (state.model.isRecord()) {
      state.instance = source;
      byInstance.put(source, state);
    } else {
      state.model.copyInto(source, state.instance);
    }
  }

  /** Marks every persistent state stale. */
  public void expireAll() {
    for (EntityState state : byKey.values()) {
      state.expire();
    }
  }

  /** Forgets everything (expunge all, close). */
  public void clear() {
    byKey.clear();
    byInstance.clear();
    pending.clear();
    deleted.clear();
  }

  // ---------------------------------------------------------------- flush

  /** Whether a flush has anything to write. */
  public boolean hasChanges() {
    if (!pending.isEmpty() || !deleted.isEmpty()) {
      return true;
    }
    for (EntityState state : byKey.values()) {
      if (state.needsUpdate()) {
        return true;
      }
    }
    return false;
  }

  /** The pending states in add order, copied: a flush changes the list while walking it. */
  public List<EntityState> pendingStates() {
    return List.copyOf(pending);
  }

  /** The states a flush must UPDATE, in identity-map order. */
  public List<EntityState> statesToUpdate() {
    List<EntityState> out = new ArrayList<>();
    for (EntityState state : byKey.values()) {
      if (state.needsUpdate()) {
        out.add(state);
      }
    }
    return out;
  }

  /** The deleted states in delete order, copied: a flush changes the list while walking it. */
  public List<EntityState> deletedStates() {
    return List.copyOf(deleted);
  }

  // ---------------------------------------------------------------- transactions

  /** How many entities were inserted in the transaction so far: where a savepoint starts. */
  public int insertedMark() {
    return insertedInTransaction.size();
  }

  /** How many entities were deleted in the transaction so far: where a savepoint starts. */
  public int deletedMark() {
    return deletedInTransaction.size();
  }

  /** The transaction committed: nothing is left to undo. */
  public void committed() {
    insertedInTransaction.clear();
    deletedInTransaction.clear();
  }

  /**
   * The transaction (or the savepoint taken at the marks) rolled back: pending entities and those
   * inserted since the marks are forgotten, those deleted since are restored, pending deletes are
   * cancelled, and everything is expired.
   */
  public void rolledBack(int insertedMark, int deletedMark) {
    for (EntityState state : List.copyOf(pending)) {
      forget(state);
    }
    List<EntityState> inserted = insertedInTransaction.subList(insertedMark, insertedInTransaction.size());
    for (EntityState state : List.copyOf(inserted)) {
      forget(state);
    }
    inserted.clear();
    List<EntityState> removed = deletedInTransaction.subList(deletedMark, deletedInTransaction.size());
    for (EntityState state : removed) {
      state.status = Status.PERSISTENT;
      byKey.putIfAbsent(state.key, state);
      byInstance.put(state.instance, state);
    }
    removed.clear();
    for (EntityState state : deleted) {
      state.status = Status.PERSISTENT;
    }
    deleted.clear();
    expireAll();
  }

  // ---------------------------------------------------------------- views for the API

  /** Pending instances, in add order. */
  public List<Object> newObjects() {
    List<Object> out = new ArrayList<>(pending.size());
    pending.forEach(state -> out.add(state.instance));
    return Collections.unmodifiableList(out);
  }

  /** Persistent instances whose current values differ from the loaded ones. */
  public List<Object> dirtyObjects() {
    List<Object> out = new ArrayList<>();
    for (EntityState state : byKey.values()) {
      if (state.needsUpdate()) {
        out.add(state.instance);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Instances marked for deletion at the next flush. */
  public List<Object> deletedObjects() {
    List<Object> out = new ArrayList<>(deleted.size());
    deleted.forEach(state -> out.add(state.instance));
    return Collections.unmodifiableList(out);
  }

  /** A copy of the identity map: every persistent (or deleted, unflushed) instance by key. */
  public Map<EntityKey, Object> snapshot() {
    Map<EntityKey, Object> out = new LinkedHashMap<>();
    byKey.forEach((key, state) -> out.put(key, state.instance));
    return Collections.unmodifiableMap(out);
  }
}
