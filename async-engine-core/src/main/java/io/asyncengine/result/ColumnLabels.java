package io.asyncengine.result;

import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.mapping.RowObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The column labels of a result, shared by all its rows: label lookup (exact first, then
 * case-insensitive, since databases disagree on the case of unquoted names) and the row-to-object
 * mappers already built for this shape.
 *
 * <p>Immutable apart from the mapper cache, which is thread-safe.
 */
public final class ColumnLabels {

  private static final ColumnLabels EMPTY = new ColumnLabels(List.of());

  private final List<String> labels;
  private final Map<String, Integer> exact;
  private final Map<String, Integer> folded;
  private final ConcurrentHashMap<Class<?>, RowObjectMapper<?>> mappers = new ConcurrentHashMap<>(2);

  private ColumnLabels(List<String> labels) {
    this.labels = labels;
    this.exact = new HashMap<>(labels.size() * 2);
    this.folded = new HashMap<>(labels.size() * 2);
    // The first column of a duplicated label wins, as in SQLAlchemy's row mapping.
    for (int i = labels.size() - 1; i >= 0; i--) {
      exact.put(labels.get(i), i);
      folded.put(labels.get(i).toLowerCase(Locale.ROOT), i);
    }
  }

  /** The labels of a result, in column order. */
  public static ColumnLabels of(List<String> labels) {
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

  /** The 0-based index of {@code label}, or -1. Exact match first, then case-insensitive. */
  public int indexOf(String label) {
    Integer index = exact.get(label);
    if (index == null) {
      index = folded.get(label.toLowerCase(Locale.ROOT));
    }
    return index == null ? -1 : index;
  }

  /**
   * The 0-based index of {@code label}.
   *
   * @throws InvalidRequestException naming the label and the columns there are
   */
  public int require(String label) {
    int index = indexOf(label);
    if (index < 0) {
      throw new InvalidRequestException("No column '" + label + "' in the result; columns: " + String.join(", ", labels));
    }
    return index;
  }

  @SuppressWarnings("unchecked")
  <T> RowObjectMapper<T> mapperFor(Class<T> type) {
    return (RowObjectMapper<T>) mappers.computeIfAbsent(type, t -> RowObjectMapper.of(t, labels));
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
