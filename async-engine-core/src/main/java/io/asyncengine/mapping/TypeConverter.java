package io.asyncengine.mapping;
/** STUB. */
public final class TypeConverter {
  private TypeConverter() {}
  @SuppressWarnings("unchecked")
  public static <T> T convert(Object v, Class<T> t) { return (T) v; }
}
