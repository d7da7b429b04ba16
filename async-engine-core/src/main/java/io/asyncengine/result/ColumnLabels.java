package io.asyncengine.result;

import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.mapping.RowObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * The column labels of a result, shared by all its rows: label lookup (exact first, then
 * case-insensitive, since databases disagree on the case of unquoted names) and the row-to-object
 * mappers already built for this shape.
 *
 * <p>Immutable apart from the mapper cache, which is thread-safe.
 */
public final class ColumnLabels {

  private static final ColumnLabels EMPTY = new ColumnLabels(List.of());
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<ColumnLabels, ConcurrentHashMap> MAPPERS =
      AtomicReferenceFieldUpdater.newUpdater(ColumnLabels.class, ConcurrentHashMap.class, "mappers");

  private final List<String> labels;
  // Built on first lookup: most results are read by index or mapped once, and this object is
  // created for every statement execution, so the hot path must not pay for maps it never uses.
  private volatile @Nullable Lookup lookup;
  private volatile @Nullable ConcurrentHashMap<Class<?>, RowObjectMapper<?>> mappers;

  private ColumnLabels(List<String> labels) {
    this.labels = labels;
  }

  /**
   * The labels of a result, in column order.
   *
   * @throws NullPointerException when {@code labels} is null
   */
  public static ColumnLabels of(List<String> labels) {
    Objects.requireNonNull(labels, "labels must not be null");
    return labels.isEmpty() ? EMPTY : new ColumnLabels(List.copyOf(labels));
  }

  /** No columns (the result of a DML statement). */
  public static ColumnLabels empty() {
    return EMPTY;
  }

  /** The labels in column order; SQLAlchemy's {@code keys()}. */
  public List<String> labels() {
    return labels;
  }

  /** The number of columns. */
  public int size() {
    return labels.size();
  }

  /**
   * The 0-based index of {@code label}, or -1. Exact match first, then case-insensitive.
   *
   * @throws NullPointerException when {@code label} is null
   */
  public int indexOf(String label) {
    Objects.requireNonNull(label, "label must not be null");
    Lookup maps = lookup;
    if (maps == null) {
      maps = new Lookup(labels);
      lookup = maps; // benign race: every thread builds the same immutable maps
    }
    Integer index = maps.exact.get(label);
    if (index == null) {
      index = maps.folded.get(label.toLowerCase(Locale.ROOT));
    }
    return index == null ? -1 : index;
  }

  /**
   * The 0-based index of {@code label}.
   *
   * @throws InvalidRequestException naming the label and the columns there are
   * @throws NullPointerException when {@code label} is null
   */
  public int require(String label) {
    Objects.requireNonNull(label, "label must not be null");
    int index = indexOf(label);
    if (index < 0) {
      throw new InvalidRequestException("No column '" + label + "' in the result; columns: " + String.join(", ", labels));
    }
    return index;
  }

  @SuppressWarnings("unchecked")
  <T> RowObjectMapper<T> mapperFor(Class<T> type) {
    ConcurrentHashMap<Class<?>, RowObjectMapper<?>> cache = mappers;
    if (cache == null) {
      cache = new ConcurrentHashMap<>(2);
      if (!MAPPERS.compareAndSet(this, null, cache)) {
        cache = mappers;
      }
    }
    return (RowObjectMapper<T>) cache.computeIfAbsent(type, t -> RowObjectMapper.of(t, labels));
  }

  @Override
  public String toString() {
    return labels.toString();
  }

  /** Label to index, exact and case-folded; the first column of a duplicated label wins (SQLAlchemy). */
  private static final class Lookup {
    final Map<String, Integer> exact;
    final Map<String, Integer> folded;

    Lookup(List<String> labels) {
      Map<String, Integer> exactMap = new HashMap<>(labels.size() * 2);
      Map<String, Integer> foldedMap = new HashMap<>(labels.size() * 2);
      for (int i = labels.size() - 1; i >= 0; i--) {
        exactMap.put(labels.get(i), i);
        foldedMap.put(labels.get(i).toLowerCase(Locale.ROOT), i);
      }
      this.exact = exactMap;
      this.folded = foldedMap;
    }
  }
}
