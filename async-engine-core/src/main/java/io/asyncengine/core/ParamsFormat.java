package io.asyncengine.core;

import java.util.Map;

/** Renders parameter values for echo logs and error messages, cutting long values short. */
final class ParamsFormat {

  private static final int MAX_VALUE_CHARS = 80;

  private ParamsFormat() {}

  static String describe(Object[] values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      append(out, values[i]);
    }
    return out.append(']').toString();
  }

  static String describe(Map<String, ?> values) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      out.append(entry.getKey()).append('=');
      append(out, entry.getValue());
    }
    return out.append('}').toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("NULL");
      return;
    }
    if (value instanceof byte[] bytes) {
      out.append("<").append(bytes.length).append(" bytes>");
      return;
    }
    String text = String.valueOf(value);
    boolean quote = value instanceof CharSequence;
    if (quote) {
      out.append('\'');
    }
    if (text.length() > MAX_VALUE_CHARS) {
      out.append(text, 0, MAX_VALUE_CHARS).append("…(").append(text.length()).append(" chars)");
    } else {
      out.append(text);
    }
    if (quote) {
      out.append('\'');
    }
  }
}
