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
 * @param query whether the statement is a plain {@code SELECT}, run with {@code executeQuery}
 */
public record ParsedSql(String original, String jdbcSql, List<String> names, int markerCount, boolean generatedKeys,
    boolean query) {

  /** Whether the statement uses {@code :name} markers. */
  public boolean isNamed() {
    return !names.isEmpty();
  }
}
