package io.asyncengine.core.internal;

import io.asyncengine.error.ParameterBindingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Finds parameter markers in SQL, skipping string literals, quoted identifiers, comments,
 * PostgreSQL dollar-quoted strings and {@code ::} casts, and rewrites {@code :name} markers to
 * {@code ?}.
 *
 * <p>Results are cached per SQL string: applications run a bounded set of statements, and the
 * cache is cleared when it outgrows {@link #MAX_CACHED} so that generated SQL cannot grow it without
 * limit. Thread-safe.
 */
public final class SqlParser {

  static final int MAX_CACHED = 2048;

  private final ConcurrentHashMap<String, ParsedSql> cache = new ConcurrentHashMap<>();
  private final Predicate<String> wantsGeneratedKeys;

  /** A parser that asks {@code wantsGeneratedKeys} (the dialect) once per distinct statement. */
  public SqlParser(Predicate<String> wantsGeneratedKeys) {
    this.wantsGeneratedKeys = wantsGeneratedKeys;
  }

  /**
   * Parses {@code sql}, from the cache when seen before.
   *
   * @throws ParameterBindingException when the statement mixes {@code ?} and {@code :name} markers
   * @throws IllegalArgumentException when {@code sql} is null or blank
   */
  public ParsedSql parse(String sql) {
    if (sql == null) {
      throw new IllegalArgumentException("sql must not be null");
    }
    ParsedSql parsed = cache.get(sql);
    if (parsed != null) {
      return parsed;
    }
    ParsedSql markers = parseUncached(sql);
    parsed = new ParsedSql(sql, markers.jdbcSql(), markers.names(), markers.markerCount(), wantsGeneratedKeys.test(sql),
        startsWithSelect(sql));
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(sql, parsed);
    return parsed;
  }

  /**
   * Parses the markers without the cache ({@code generatedKeys} is false). Same contract as
   * {@link #parse(String)}.
   */
  public static ParsedSql parseUncached(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("SQL must not be null or blank");
    }
    if (sql.indexOf('?') < 0 && sql.indexOf(':') < 0) {
      return new ParsedSql(sql, sql, List.of(), 0, false, false);
    }
    int length = sql.length();
    StringBuilder out = null;
    List<String> names = null;
    int positional = 0;
    int copiedUpTo = 0;
    int i = 0;
    while (i < length) {
      char c = sql.charAt(i);
      switch (c) {
        case '\'', '"', '`' -> i = skipQuoted(sql, i, c);
        case '-' -> i = startsWith(sql, i, "--") ? skipLine(sql, i) : i + 1;
        case '/' -> i = startsWith(sql, i, "/*") ? skipBlockComment(sql, i) : i + 1;
        case '$' -> i = skipDollarQuoted(sql, i);
        case '?' -> {
          positional++;
          i++;
        }
        case ':' -> {
          if (i + 1 < length && sql.charAt(i + 1) == ':') {
            i += 2; // PostgreSQL cast
          } else if (i + 1 < length
              && Character.isJavaIdentifierStart(sql.charAt(i + 1))
              && (i == 0 || sql.charAt(i - 1) != ':')) {
            int end = i + 1;
            while (end < length && Character.isJavaIdentifierPart(sql.charAt(end))) {
              end++;
            }
            if (out == null) {
              out = new StringBuilder(length);
              names = new ArrayList<>();
            }
            out.append(sql, copiedUpTo, i).append('?');
            names.add(sql.substring(i + 1, end));
            copiedUpTo = end;
            i = end;
          } else {
            i++;
          }
        }
        default -> i++;
      }
    }
    if (names == null) {
      return new ParsedSql(sql, sql, List.of(), positional, false, false);
    }
    if (positional > 0) {
      throw new ParameterBindingException(
          "Statement mixes ? and :name parameter markers; use one style: " + sql);
    }
    out.append(sql, copiedUpTo, length);
    return new ParsedSql(sql, out.toString(), List.copyOf(names), names.size(), false, false);
  }

  /**
   * Whether the first word is SELECT (after blanks). Comments or a leading parenthesis make it
   * false, which only costs the generic {@code execute()} path, never a wrong answer.
   */
  static boolean startsWithSelect(String sql) {
    int i = 0;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    return sql.regionMatches(true, i, "select", 0, 6)
        && (i + 6 == sql.length() || !Character.isJavaIdentifierPart(sql.charAt(i + 6)));
  }

  private static boolean startsWith(String sql, int at, String prefix) {
    return sql.startsWith(prefix, at);
  }

  /** Skips a quoted run; a doubled quote inside is an escaped quote. Returns the index after it. */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '"') {
        i += 2; // MariaDB backslash escapes; harmless for standard strings
        continue;
      }
      if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return length;
  }

  private static int skipLine(String sql, int start) {
    int end = sql.indexOf('\n', start);
    return end < 0 ? sql.length() : end + 1;
  }

  private static int skipBlockComment(String sql, int start) {
    int end = sql.indexOf("*/", start + 2);
    return end < 0 ? sql.length() : end + 2;
  }

  /** Skips {@code $tag$ … $tag$}; a lone {@code $} (e.g. {@code $1}) is left alone. */
  private static int skipDollarQuoted(String sql, int start) {
    int i = start + 1;
    int length = sql.length();
    while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    if (i >= length || sql.charAt(i) != '$' || (i > start + 1 && Character.isDigit(sql.charAt(start + 1)))) {
      return start + 1;
    }
    String tag = sql.substring(start, i + 1);
    int end = sql.indexOf(tag, i + 1);
    return end < 0 ? length : end + tag.length();
  }
}
