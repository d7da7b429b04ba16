package io.asyncengine.dialect;

import java.util.Locale;

/**
 * Just enough lexing of SQL text to find keywords: skips whitespace, {@code --} and
 * {@code /* *}{@code /} comments, and quoted strings and identifiers ({@code '...'},
 * {@code "..."}, {@code `...`}) so a keyword inside them is not mistaken for one.
 *
 * <p>Backslash escapes and PostgreSQL dollar quoting are not understood; a keyword inside such a
 * literal may be seen as a keyword, which at worst turns off generated keys for that statement.
 *
 * <p>Thread: stateless; safe for concurrent use.
 */
final class SqlText {

  private SqlText() {
  }

  /** The first word of {@code sql} after whitespace and comments, upper-cased; "" when none. */
  static String firstKeyword(String sql) {
    int start = skipBlankAndComments(sql, 0);
    int end = start;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(start, end).toUpperCase(Locale.ROOT);
  }

  /** Whether {@code keyword} (upper case) occurs as a whole word outside comments and quotes. */
  static boolean containsKeyword(String sql, String keyword) {
    int i = 0;
    int length = sql.length();
    while (i < length) {
      i = skipBlankAndComments(sql, i);
      if (i >= length) {
        return false;
      }
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c);
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        int end = i;
        while (end < length && isWordChar(sql.charAt(end))) {
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

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int skipBlankAndComments(String sql, int from) {
    int i = from;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int newline = sql.indexOf('\n', i);
        i = newline < 0 ? length : newline + 1;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? length : close + 2;
      } else {
        return i;
      }
    }
    return i;
  }

  // A doubled quote inside is an escaped quote, so it simply reads as two adjacent literals.
  private static int skipQuoted(String sql, int open, char quote) {
    int close = sql.indexOf(quote, open + 1);
    return close < 0 ? sql.length() : close + 1;
  }
}
