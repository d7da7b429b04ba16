package io.asyncengine.mapping.internal;

import io.asyncengine.mapping.NameConvention;
import java.lang.invoke.MethodHandle;
import org.jspecify.annotations.Nullable;

/**
 * One record component or writable POJO property of a {@link MappedClass}: the column it maps
 * to, its type, and how to read and write it.
 *
 * <p>Thread: immutable; safe to share.
 */
public final class MappedProperty {

  private final String name;
  private final String column;
  private final String columnKey;
  private final Class<?> type;
  private final boolean isTransient;
  private final int index;
  /** {@code (Object)Object}; null when the property cannot be read (a POJO setter alone). */
  private final @Nullable MethodHandle reader;
  /** For a POJO, {@code (Object bean, Object value)void}; null for a record component. */
  private final @Nullable MethodHandle writer;

  MappedProperty(String name, String column, Class<?> type, boolean isTransient, int index,
      @Nullable MethodHandle reader, @Nullable MethodHandle writer) {
    this.name = name;
    this.column = column;
    this.columnKey = NameConvention.normalize(column);
    this.type = type;
    this.isTransient = isTransient;
    this.index = index;
    this.reader = reader;
    this.writer = writer;
  }

  /** The Java name. */
  public String name() {
    return name;
  }

  /**
   * The column name: its {@link io.asyncengine.mapping.Column} name, else the snake_case form of
   * {@link #name()}. A session uses it only after {@link MappedClass#entity} checked it.
   */
  public String column() {
    return column;
  }

  /** {@link NameConvention#normalize} of {@link #column()}: what a column label must match. */
  public String columnKey() {
    return columnKey;
  }

  /** The Java type; values are converted to it. */
  public Class<?> type() {
    return type;
  }

  /** Whether it is {@link io.asyncengine.mapping.Transient}: never read from a row, never stored. */
  public boolean isTransient() {
    return isTransient;
  }

  /** Its position in {@link MappedClass#properties()}: for a record, the component index. */
  public int index() {
    return index;
  }

  /** Reads the property of {@code target}; whatever the accessor throws propagates. */
  @Nullable Object read(Object target) throws Throwable {
    return (Object) reader.invokeExact(target);
  }

  /**
   * Writes {@code value} into the POJO {@code target} through its setter or field; whatever the
   * setter throws propagates.
   */
  public void write(Object target, @Nullable Object value) throws Throwable {
    writer.invokeExact(target, value);
  }

  @Override
  public String toString() {
    return name + " (" + column + ")";
  }
}
