package io.asyncengine.mapping;
import java.util.List;
/** STUB. */
public final class RowObjectMapper<T> {
  public static <T> RowObjectMapper<T> of(Class<T> type, List<String> labels) { return new RowObjectMapper<>(); }
  public T map(Object[] values) { return null; }
}
