package io.asyncengine.mapping;

import java.lang.invoke.MethodHandle;

/**
 * One record component or writable POJO property, as {@link MappedClass} found it.
 *
 * <p>Thread: immutable; safe to share.
 */
final class MappedProperty {

  /** The Java name, for messages. */
  final String name;
  /** The column name it reads (its {@code @Column} name, else its Java name), for messages. */
  final String columnName;
  /** {@link NameConvention#normalize} of {@link #columnName}, matched against column labels. */
  final String columnKey;
  /** The type values are converted to. */
  final Class<?> type;
  /** Whether the property is {@link Transient}: never read from a row. */
  final boolean isTransient;
  /** For a POJO, {@code (Object bean, Object value)void}; null for a record component. */
  final MethodHandle writer;

  MappedProperty(String name, String columnName, Class<?> type, boolean isTransient,
      MethodHandle writer) {
    this.name = name;
    this.columnName = columnName;
    this.columnKey = NameConvention.normalize(columnName);
    this.type = type;
    this.isTransient = isTransient;
    this.writer = writer;
  }
}
