package io.asyncengine.dialect;

import io.asyncengine.dialect.internal.SqlLexer;
import java.util.Locale;

/**
 * Just enough reading of SQL text to find keywords, by a dialect's {@link SqlLexing} rules:
 * whitespace, comments, string literals, quoted identifiers and (PostgreSQL) dollar quotes are
 * skipped, so a keyword inside them is not mistaken for one.
 *
 * <p>Thread: stateless; safe for concurrent use.
 */
final class SqlText {

  private SqlText() {
  }

  /** The first word of {@code sql} after whitespace and comments, upper-cased; "" when none. */
  static String firstKeyword(String sql, SqlLexing lexing) {
    int start = SqlLexer.of(lexing).skipBlank(sql, 0);
    int end = start;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(start, end).toUpperCase(Locale.ROOT);
  }

  /** Whether {@code keyword} (upper case) occurs as a whole word outside comments and quotes. */
  static boolean containsKeyword(String sql, String keyword, SqlLexing lexing) {
    SqlLexer lexer = SqlLexer.of(lexing);
    int i = 0;
    int length = sql.length();
    while (i < length) {
      i = lexer.skipBlank(sql, i);
      int quoted = lexer.skipQuoted(sql, i);
      if (quoted != i) {
        i = quoted;
      } else if (i < length && SqlLexer.isWordPart(sql.charAt(i))) {
        int end = i;
        while (end < length && SqlLexer.isWordPart(sql.charAt(end))) {
          end++;
        }
        if (end - i == keyword.length() && sql.regionMatches(true, i, keyword, 0, keyword.length())) {
          return true;
        }
        i = end;
      } else {
        i++;
      }
    }
    return false;
  }
}
