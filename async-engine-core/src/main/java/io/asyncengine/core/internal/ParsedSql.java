package io.asyncengine.core.internal;

import java.util.List;

/**
 * A statement as the engine sends it to JDBC: {@code :name} markers replaced by {@code ?}, with the
 * names in marker order (a name may repeat), or the count of {@code ?} markers.
 *
 * @param original the SQL as the caller wrote it (used in logs and error messages)
 * @param jdbcSql the SQL with only {@code ?} markers
 * @param names the named markers in order; empty when the statement uses {@code ?} markers
 * @param markerCount the number of markers of either kind
 * @param generatedKeys whether the dialect wants the statement prepared for generated keys
 * @param query whether the statement's first word (after blanks and comments) is {@code SELECT},
 *     run with {@code executeQuery}
 * @param reads whether the statement only reads ({@link ReadClassifier}): it never takes SQLite's
 *     writer turn
 * @param changesSqlMode whether the statement is a {@code SET} naming {@code sql_mode}, after which
 *     a MariaDB connection's backslash rule must be read again
 */
public record ParsedSql(String original, String jdbcSql, List<String> names, int markerCount, boolean generatedKeys,
    boolean query, boolean reads, boolean changesSqlMode) {

  /** Whether the statement uses {@code :name} markers. */
  public boolean isNamed() {
    return !names.isEmpty();
  }

  /** The same parse with {@code generatedKeys} set. */
  ParsedSql withGeneratedKeys(boolean generatedKeys) {
    return new ParsedSql(original, jdbcSql, names, markerCount, generatedKeys, query, reads, changesSqlMode);
  }
}
