package io.asyncengine.result;

import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.types.TypeConverter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a result (SQLAlchemy's {@code Row} and {@code RowMapping}): values by 0-based index or
 * by column label, converted to the Java type asked for, or the whole row mapped to a record or POJO.
 *
 * <p>Rows are detached from JDBC: reading them never touches the connection. Immutable and
 * thread-safe (values are those the driver returned; byte arrays are not copied).
 */
public final class Row {

  private final ColumnLabels columns;
  private final @Nullable Object[] values;

  /**
   * A row with {@code values} in the order of {@code columns}. The array is owned by the row from
   * now on.
   *
   * @throws IllegalArgumentException when the counts differ
   * @throws NullPointerException when {@code columns} or {@code values} is null
   */
  public Row(ColumnLabels columns, @Nullable Object[] values) {
    Objects.requireNonNull(columns, "columns must not be null");
    Objects.requireNonNull(values, "values must not be null");
    if (columns.size() != values.length) {
      throw new IllegalArgumentException(
          "Row has " + values.length + " values for " + columns.size() + " columns");
    }
    this.columns = columns;
    this.values = values;
  }

  /** The column labels shared by every row of the result. */
  public ColumnLabels columns() {
    return columns;
  }

  /** The labels, in column order. */
  public List<String> keys() {
    return columns.labels();
  }

  /** The number of columns. */
  public int size() {
    return values.length;
  }

  /**
   * The value of the 0-based column {@code index}, as the driver returned it.
   *
   * @throws InvalidRequestException when the index is out of range
   */
  public @Nullable Object get(int index) {
    checkIndex(index);
    return values[index];
  }

  /**
   * The value of the column labelled {@code label} (exact, then case-insensitive match).
   *
   * @throws InvalidRequestException when there is no such column
   * @throws NullPointerException when {@code label} is null
   */
  public @Nullable Object get(String label) {
    Objects.requireNonNull(label, "label must not be null");
    return values[columns.require(label)];
  }

  /**
   * The value of column {@code index} converted to {@code type}.
   *
   * @throws InvalidRequestException when the index is out of range
   * @throws io.asyncengine.error.MappingException when the value cannot be converted
   * @throws NullPointerException when {@code type} is null
   */
  public <T> @Nullable T get(int index, Class<T> type) {
    Objects.requireNonNull(type, "type must not be null");
    checkIndex(index);
    return convert(index, type);
  }

  /**
   * The value of column {@code label} converted to {@code type}.
   *
   * @throws InvalidRequestException when there is no such column
   * @throws io.asyncengine.error.MappingException when the value cannot be converted
   * @throws NullPointerException when {@code label} or {@code type} is null
   */
  public <T> @Nullable T get(String label, Class<T> type) {
    Objects.requireNonNull(label, "label must not be null");
    Objects.requireNonNull(type, "type must not be null");
    return convert(columns.require(label), type);
  }

  /** The row as an insertion-ordered, unmodifiable map from label to value. */
  public Map<String, @Nullable Object> asMap() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>(values.length * 2);
    List<String> labels = columns.labels();
    for (int i = 0; i < values.length; i++) {
      // The first column of a duplicated label wins, as in get(label), also when its value is NULL.
      if (!map.containsKey(labels.get(i))) {
        map.put(labels.get(i), values[i]);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** The values in column order, as an unmodifiable list (may contain nulls). */
  public List<@Nullable Object> values() {
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  /**
   * The row mapped to {@code type}: a record (by its components), a POJO (by setters or fields) or,
   * for a one-column row, a simple type such as {@code String} or {@code LocalDate} ({@code null} when
   * that column is NULL). Columns match properties by label, ignoring case and underscores
   * ({@code created_at} ↔ {@code createdAt}).
   *
   * @throws io.asyncengine.error.MappingException naming the class, column and problem
   * @throws NullPointerException when {@code type} is null
   */
  public <T> @Nullable T as(Class<T> type) {
    Objects.requireNonNull(type, "type must not be null");
    return columns.mapperFor(type).map(values);
  }

  private <T> @Nullable T convert(int index, Class<T> type) {
    try {
      return TypeConverter.convert(values[index], type);
    } catch (io.asyncengine.error.MappingException e) {
      throw new io.asyncengine.error.MappingException(
          "Column '" + columns.labels().get(index) + "': " + e.getMessage(), null, e);
    }
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= values.length) {
      throw new InvalidRequestException(
          "Column index " + index + " out of range; the row has " + values.length + " columns " + columns);
    }
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Row row && columns.labels().equals(row.columns.labels()) && Arrays.deepEquals(values, row.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns.labels(), Arrays.deepHashCode(values));
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
