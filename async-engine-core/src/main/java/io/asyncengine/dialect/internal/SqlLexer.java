package io.asyncengine.dialect.internal;

import io.asyncengine.dialect.SqlLexing;

/**
 * The one lexer of SQL text in the engine, for one set of {@link SqlLexing} rules: it finds where
 * comments, string literals, quoted identifiers and dollar quotes end, so that callers scanning for
 * markers or keywords skip them. An unterminated literal or comment runs to the end of the text
 * (the database reports the error).
 *
 * <p>Thread: immutable; safe for concurrent use.
 */
public final class SqlLexer {

  /** Standard SQL. */
  public static final SqlLexer STANDARD = new SqlLexer(SqlLexing.STANDARD, false);
  /** SQLite. */
  public static final SqlLexer SQLITE = new SqlLexer(SqlLexing.SQLITE, false);
  /** PostgreSQL with {@code standard_conforming_strings} on. */
  public static final SqlLexer POSTGRESQL = new SqlLexer(SqlLexing.POSTGRESQL, false);
  /** MariaDB with backslash escapes in strings (the server's default {@code sql_mode}). */
  public static final SqlLexer MARIADB = new SqlLexer(SqlLexing.MARIADB, true);
  /** MariaDB whose session {@code sql_mode} has {@code NO_BACKSLASH_ESCAPES}. */
  public static final SqlLexer MARIADB_NO_BACKSLASH_ESCAPES = new SqlLexer(SqlLexing.MARIADB, false);

  private final SqlLexing lexing;
  private final boolean backslashEscapes;

  private SqlLexer(SqlLexing lexing, boolean backslashEscapes) {
    this.lexing = lexing;
    this.backslashEscapes = backslashEscapes;
  }

  /** The lexer of {@code lexing}; for MariaDB, the one with backslash escapes. */
  public static SqlLexer of(SqlLexing lexing) {
    return switch (lexing) {
      case STANDARD -> STANDARD;
      case SQLITE -> SQLITE;
      case POSTGRESQL -> POSTGRESQL;
      case MARIADB -> MARIADB;
    };
  }

  /** The rules this lexer follows. */
  public SqlLexing lexing() {
    return lexing;
  }

  /** Whether {@code '…'} strings take backslash escapes (MariaDB unless NO_BACKSLASH_ESCAPES). */
  public boolean backslashEscapes() {
    return backslashEscapes;
  }

  /**
   * Whether the lexing of a text can depend on the session's backslash rule: only on MariaDB, and
   * only when the text has a backslash.
   */
  public boolean dependsOnBackslashRule(String sql) {
    return lexing == SqlLexing.MARIADB && sql.indexOf('\\') >= 0;
  }

  /** The index after the comment, literal or quoted identifier starting at {@code i}; {@code i} when none does. */
  public int skipNonCode(String sql, int i) {
    int comment = skipComment(sql, i);
    return comment != i ? comment : skipQuoted(sql, i);
  }

  /** The index of the first character at or after {@code i} that is neither blank nor in a comment. */
  public int skipBlank(String sql, int i) {
    int length = sql.length();
    while (i < length) {
      if (Character.isWhitespace(sql.charAt(i))) {
        i++;
        continue;
      }
      int after = skipComment(sql, i);
      if (after == i) {
        return i;
      }
      i = after;
    }
    return i;
  }

  /** The index after the comment starting at {@code i}; {@code i} when none does. */
  public int skipComment(String sql, int i) {
    if (i >= sql.length()) {
      return i;
    }
    char c = sql.charAt(i);
    if (c == '-' && sql.startsWith("--", i) || c == '#' && lexing == SqlLexing.MARIADB) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end + 1;
    }
    if (c == '/' && sql.startsWith("/*", i)) {
      return lexing == SqlLexing.POSTGRESQL ? skipNestedComment(sql, i) : endOf(sql, "*/", i + 2);
    }
    return i;
  }

  /**
   * The index after the string literal, quoted identifier or dollar quote starting at {@code i};
   * {@code i} when none does.
   */
  public int skipQuoted(String sql, int i) {
    if (i >= sql.length()) {
      return i;
    }
    char c = sql.charAt(i);
    return switch (c) {
      case '\'' -> skipString(sql, i, '\'', backslashEscapes);
      case '"' -> skipString(sql, i, '"', backslashEscapes); // a MariaDB string, or an identifier
      case '`' -> lexing == SqlLexing.MARIADB || lexing == SqlLexing.SQLITE ? skipString(sql, i, '`', false) : i;
      case '[' -> lexing == SqlLexing.SQLITE ? endOf(sql, "]", i + 1) : i;
      case 'E', 'e' -> lexing == SqlLexing.POSTGRESQL && i + 1 < sql.length() && sql.charAt(i + 1) == '\''
          && !followsWord(sql, i) ? skipString(sql, i + 1, '\'', true) : i;
      case '$' -> lexing == SqlLexing.POSTGRESQL && !followsWord(sql, i) ? skipDollarQuoted(sql, i) : i;
      default -> i;
    };
  }

  /** Whether {@code c} may be part of an unquoted word (identifier, keyword or number). */
  public static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static boolean followsWord(String sql, int i) {
    return i > 0 && isWordPart(sql.charAt(i - 1));
  }

  /** A doubled quote inside is an escaped quote; with {@code backslash}, a backslash escapes the next character. */
  private static int skipString(String sql, int open, char quote, boolean backslash) {
    int length = sql.length();
    int i = open + 1;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\\' && backslash) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return length;
  }

  private static int endOf(String sql, String close, int from) {
    int end = sql.indexOf(close, from);
    return end < 0 ? sql.length() : end + close.length();
  }

  private static int skipNestedComment(String sql, int open) {
    int depth = 0;
    int i = open;
    int length = sql.length();
    while (i < length) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return length;
  }

  /** {@code $tag$ … $tag$} with an optional tag that does not start with a digit; {@code $1} is no quote. */
  private static int skipDollarQuoted(String sql, int start) {
    int i = start + 1;
    int length = sql.length();
    if (i < length && Character.isDigit(sql.charAt(i))) {
      return start;
    }
    while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    if (i >= length || sql.charAt(i) != '$') {
      return start;
    }
    String tag = sql.substring(start, i + 1);
    return endOf(sql, tag, i + 1);
  }

  @Override
  public String toString() {
    return "SqlLexer[" + lexing + (lexing == SqlLexing.MARIADB ? ", backslash escapes " + backslashEscapes : "") + "]";
  }
}
