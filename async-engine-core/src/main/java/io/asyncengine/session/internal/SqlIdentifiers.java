package io.asyncengine.session.internal;

import io.asyncengine.dialect.Dialect;
import io.asyncengine.mapping.internal.MappedClass;

/**
 * Quotes identifiers that {@link MappedClass} has already validated, in the dialect's style
 * (backticks on MariaDB/MySQL, double quotes elsewhere). Quoting lets reserved words such as
 * {@code user} or {@code order} be table names; validation (not quoting) is what keeps hostile
 * text out, since no quote character can pass {@link MappedClass#IDENTIFIER}.
 *
 * <p>Thread: stateless.
 */
public final class SqlIdentifiers {

  private SqlIdentifiers() {}

  /** {@code name} (possibly {@code schema.table}) quoted for {@code dialect}. */
  public static String quote(Dialect dialect, String name) {
    char quote = "mariadb".equals(dialect.name()) ? '`' : '"';
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (String part : name.split("\\.", -1)) {
      if (!MappedClass.IDENTIFIER.matcher(part).matches()) {
        throw new IllegalArgumentException("not a validated identifier: " + name);
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(quote).append(part).append(quote);
    }
    return out.toString();
  }
}
