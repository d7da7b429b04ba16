package io.asyncengine.core.internal;

import io.asyncengine.dialect.SqlLexing;
import io.asyncengine.dialect.internal.SqlLexer;
import io.asyncengine.error.ParameterBindingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Finds parameter markers in SQL by the dialect's lexical rules ({@link SqlLexing}): a {@code ?} or
 * {@code :name} inside a comment, string literal, quoted identifier or PostgreSQL dollar quote is
 * not a marker, nor is a PostgreSQL {@code ::} cast or pgjdbc's {@code ??}. Rewrites {@code :name}
 * markers to {@code ?} and classifies the statement ({@link ParsedSql}).
 *
 * <p>MariaDB reads backslash escapes in strings unless the session's {@code sql_mode} has
 * {@code NO_BACKSLASH_ESCAPES}. Only a statement with a backslash before a quote inside a literal
 * lexes differently under the two rules; for such a statement alone the caller is asked which rule
 * its session follows.
 *
 * <p>Results are cached per SQL string: applications run a bounded set of statements, and the
 * cache is cleared when it outgrows {@link #MAX_CACHED} so that generated SQL cannot grow it without
 * limit. Thread-safe.
 */
public final class SqlParser {

  static final int MAX_CACHED = 2048;

  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final SqlLexer lexer;
  private final Predicate<String> wantsGeneratedKeys;

  /**
   * A parser for {@code lexing}'s rules that asks {@code wantsGeneratedKeys} (the dialect) once per
   * distinct statement.
   */
  public SqlParser(SqlLexing lexing, Predicate<String> wantsGeneratedKeys) {
    this.lexer = SqlLexer.of(lexing);
    this.wantsGeneratedKeys = wantsGeneratedKeys;
  }

  /**
   * Parses {@code sql} by the dialect's default rules (MariaDB: with backslash escapes), from the
   * cache when seen before.
   *
   * @throws ParameterBindingException when the statement mixes {@code ?} and {@code :name} markers
   * @throws IllegalArgumentException when {@code sql} is null or blank
   */
  public ParsedSql parse(String sql) {
    return parse(sql, () -> true);
  }

  /**
   * Parses {@code sql}, from the cache when seen before; {@code backslashEscapes} is asked, on the
   * calling thread, only on MariaDB and only when the answer changes the markers. Same contract as
   * {@link #parse(String)}, and whatever {@code backslashEscapes} throws.
   */
  public ParsedSql parse(String sql, BooleanSupplier backslashEscapes) {
    if (sql == null) {
      throw new IllegalArgumentException("sql must not be null");
    }
    Entry entry = cache.get(sql);
    if (entry == null) {
      entry = analyse(sql);
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(sql, entry);
    }
    return entry.withoutEscapes == null || backslashEscapes.getAsBoolean() ? entry.parsed : entry.withoutEscapes;
  }

  private Entry analyse(String sql) {
    ParsedSql parsed = parseUncached(sql, lexer).withGeneratedKeys(wantsGeneratedKeys.test(sql));
    if (!lexer.dependsOnBackslashRule(sql)) {
      return new Entry(parsed, null);
    }
    ParsedSql other;
    try {
      other = parseUncached(sql, SqlLexer.MARIADB_NO_BACKSLASH_ESCAPES).withGeneratedKeys(parsed.generatedKeys());
    } catch (ParameterBindingException e) {
      other = null; // mixes markers only under the other rule: that rule's sessions fail at execution
    }
    return new Entry(parsed, other == null || other.equals(parsed) ? null : other);
  }

  /**
   * Parses and classifies {@code sql} by {@code lexer}'s rules without the cache
   * ({@code generatedKeys} is false). Same contract as {@link #parse(String)}.
   */
  public static ParsedSql parseUncached(String sql, SqlLexer lexer) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("SQL must not be null or blank");
    }
    boolean query = startsWithWord(sql, lexer, "select");
    boolean reads = ReadClassifier.isRead(sql, lexer);
    boolean changesSqlMode = startsWithWord(sql, lexer, "set") && sql.toLowerCase(Locale.ROOT).contains("sql_mode");
    if (sql.indexOf('?') < 0 && sql.indexOf(':') < 0) {
      return new ParsedSql(sql, sql, List.of(), 0, false, query, reads, changesSqlMode);
    }
    boolean postgres = lexer.lexing() == SqlLexing.POSTGRESQL;
    int length = sql.length();
    StringBuilder out = null;
    List<String> names = null;
    int positional = 0;
    int copiedUpTo = 0;
    int i = 0;
    while (i < length) {
      int skipped = lexer.skipNonCode(sql, i);
      if (skipped != i) {
        i = skipped;
        continue;
      }
      char c = sql.charAt(i);
      if (c == '?') {
        if (postgres && i + 1 < length && sql.charAt(i + 1) == '?') {
          i += 2; // pgjdbc's escape for the ? operator
          continue;
        }
        positional++;
        i++;
      } else if (c == ':' && i + 1 < length && sql.charAt(i + 1) == ':') {
        i += 2; // PostgreSQL cast
      } else if (c == ':' && i + 1 < length && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
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
      } else if (SqlLexer.isWordPart(c)) {
        // Whole words at once, so that E'…' and $tag$ are only seen where a word starts.
        while (i < length && SqlLexer.isWordPart(sql.charAt(i))) {
          i++;
        }
      } else {
        i++;
      }
    }
    if (names == null) {
      return new ParsedSql(sql, sql, List.of(), positional, false, query, reads, changesSqlMode);
    }
    if (positional > 0) {
      throw new ParameterBindingException(
          "Statement mixes ? and :name parameter markers; use one style: " + sql);
    }
    out.append(sql, copiedUpTo, length);
    return new ParsedSql(sql, out.toString(), List.copyOf(names), names.size(), false, query, reads, changesSqlMode);
  }

  /** Whether the first word after blanks and comments is {@code word} (lower case). */
  static boolean startsWithWord(String sql, SqlLexer lexer, String word) {
    int i = lexer.skipBlank(sql, 0);
    int end = i + word.length();
    return sql.regionMatches(true, i, word, 0, word.length())
        && (end == sql.length() || !SqlLexer.isWordPart(sql.charAt(end)));
  }

  /** One statement's parse by the dialect's default rules, and by MariaDB's other backslash rule when it differs. */
  private record Entry(ParsedSql parsed, @Nullable ParsedSql withoutEscapes) {}
}
