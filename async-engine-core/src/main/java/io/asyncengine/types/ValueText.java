package io.asyncengine.types;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints values for logs and error messages: the parameters of the echo log and of error
 * messages, and the value in a conversion failure. The one place that decides how a value looks
 * there, so every message shows it the same way.
 *
 * <p>Rule: a value's text longer than {@value #MAX_CHARS} characters is cut to its first
 * {@value #MAX_CHARS} characters followed by {@code …(N chars)}, N being the full length, so a
 * large value cannot flood a log. Character sequences are quoted ({@code 'text'}); {@code null} is
 * {@code NULL}. Arrays print as their element type and length only ({@code byte[16]},
 * {@code char[12]}): a {@code char[]} is how a password is usually held, and its characters are
 * never printed. LOBs and streams print as their kind ({@code Blob}, {@code Clob},
 * {@code InputStream}, {@code Reader}): reading them would consume them.
 *
 * <p>Thread: stateless; safe from any thread.
 */
public final class ValueText {

  /** How many characters of a value's text are printed before it is cut. */
  public static final int MAX_CHARS = 100;

  private ValueText() {}

  /** {@code value} printed by the rule above. */
  public static String of(@Nullable Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  /** Positional values as {@code [1, 'a', NULL]}. */
  public static String ofPositional(@Nullable Object[] values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(", ");
      }
      append(out, values[i]);
    }
    return out.append(']').toString();
  }

  /** Named values as {@code {id=1, name='a'}}, in the map's order. */
  public static String ofNamed(Map<String, ?> values) {
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

  private static void append(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("NULL");
      return;
    }
    Class<?> type = value.getClass();
    if (type.isArray()) {
      out.append(type.getComponentType().getSimpleName()).append('[')
          .append(Array.getLength(value)).append(']');
      return;
    }
    String opaque = opaqueKind(value);
    if (opaque != null) {
      out.append(opaque);
      return;
    }
    String text = String.valueOf(value);
    boolean quote = value instanceof CharSequence;
    if (quote) {
      out.append('\'');
    }
    if (text.length() > MAX_CHARS) {
      out.append(text, 0, MAX_CHARS).append("…(").append(text.length()).append(" chars)");
    } else {
      out.append(text);
    }
    if (quote) {
      out.append('\'');
    }
  }

  private static @Nullable String opaqueKind(Object value) {
    if (value instanceof Blob) {
      return "Blob";
    }
    if (value instanceof Clob) {
      return "Clob";
    }
    if (value instanceof InputStream) {
      return "InputStream";
    }
    if (value instanceof Reader) {
      return "Reader";
    }
    return null;
  }
}
