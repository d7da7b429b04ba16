package io.asyncengine.mapping;

/**
 * Naming rules between Java properties and SQL columns.
 *
 * <p>Thread: stateless; safe from any thread.
 */
public final class NameConvention {

  private NameConvention() {
  }

  /**
   * Converts a Java name to snake case: {@code createdAt} to {@code created_at}, {@code
   * UserAccount} to {@code user_account}, {@code HTTPServer} to {@code http_server}. A run of
   * capitals is one word; digits stay attached to the word before them ({@code address2}).
   *
   * @throws NullPointerException if {@code javaName} is null
   */
  public static String toSnakeCase(String javaName) {
    int length = javaName.length();
    if (!hasUpperCase(javaName)) {
      return javaName;
    }
    StringBuilder out = new StringBuilder(length + 4);
    for (int i = 0; i < length; i++) {
      char c = javaName.charAt(i);
      if (!Character.isUpperCase(c)) {
        out.append(c);
        continue;
      }
      if (i > 0 && out.charAt(out.length() - 1) != '_') {
        char previous = javaName.charAt(i - 1);
        // The last capital of an acronym starts the next word: HTTPServer -> http_server.
        boolean acronymEnd = Character.isUpperCase(previous)
            && i + 1 < length
            && Character.isLowerCase(javaName.charAt(i + 1));
        if (Character.isLowerCase(previous) || Character.isDigit(previous) || acronymEnd) {
          out.append('_');
        }
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }

  /**
   * The key used to match a column label to a property: lower case, underscores removed, so
   * {@code CREATED_AT}, {@code created_at} and {@code createdAt} all give {@code createdat}.
   *
   * @throws NullPointerException if {@code label} is null
   */
  public static String normalize(String label) {
    int length = label.length();
    int i = 0;
    while (i < length) {
      char c = label.charAt(i);
      if (c == '_' || Character.toLowerCase(c) != c) {
        break;
      }
      i++;
    }
    if (i == length) {
      return label;
    }
    StringBuilder out = new StringBuilder(length);
    out.append(label, 0, i);
    for (; i < length; i++) {
      char c = label.charAt(i);
      if (c != '_') {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  private static boolean hasUpperCase(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isUpperCase(name.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
