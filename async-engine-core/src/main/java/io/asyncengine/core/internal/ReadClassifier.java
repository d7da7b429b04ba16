package io.asyncengine.core.internal;

import io.asyncengine.dialect.internal.SqlLexer;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a statement only reads, which on SQLite means it must not take the engine's
 * writer turn (a reader holding the turn until its transaction ends makes every writer wait).
 *
 * <p>The rule, after leading whitespace, comments and opening parentheses:
 * <ul>
 *   <li>{@code SELECT}, {@code VALUES}, {@code WITH}, {@code TABLE}, {@code SHOW}, {@code DESCRIBE}
 *       and {@code DESC} read, unless a writing word occurs anywhere outside literals and comments:
 *       {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code INTO}, or
 *       {@code REPLACE} not called as a function. So {@code WITH x AS (…) SELECT} reads,
 *       {@code WITH x AS (…) INSERT …} and PostgreSQL's {@code WITH d AS (DELETE …) SELECT} write,
 *       and so do {@code SELECT … INTO} and {@code SELECT … FOR UPDATE}.</li>
 *   <li>{@code EXPLAIN} reads, unless it runs the statement ({@code ANALYZE}) and that writes.</li>
 *   <li>{@code PRAGMA name} reads unless it is one that does work ({@code optimize},
 *       {@code wal_checkpoint}, {@code incremental_vacuum}); {@code PRAGMA name = value} writes;
 *       {@code PRAGMA name(arg)} reads for the pragmas whose argument names what to read
 *       ({@code table_info(t)}, {@code index_list(t)}, …) and writes otherwise
 *       ({@code user_version(3)}).</li>
 *   <li>Anything else writes.</li>
 * </ul>
 * A word qualified by a dot ({@code t.update}) is a name, not a keyword. Mistakes are kept on the
 * safe side: a write taken for a read would meet SQLite's busy handler instead of the queue, so
 * anything unknown counts as a write.
 *
 * <p>Thread: stateless; safe for concurrent use.
 */
public final class ReadClassifier {

  private static final Set<String> READ_STARTS = Set.of("SELECT", "VALUES", "WITH", "TABLE", "SHOW", "DESCRIBE", "DESC");
  private static final Set<String> WRITE_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "UPSERT");
  private static final Set<String> WORKING_PRAGMAS = Set.of("OPTIMIZE", "WAL_CHECKPOINT", "INCREMENTAL_VACUUM");
  private static final Set<String> READ_PRAGMAS_WITH_ARGUMENT = Set.of("TABLE_INFO", "TABLE_XINFO", "TABLE_LIST",
      "INDEX_INFO", "INDEX_XINFO", "INDEX_LIST", "FOREIGN_KEY_LIST", "FOREIGN_KEY_CHECK", "INTEGRITY_CHECK",
      "QUICK_CHECK", "FUNCTION_LIST", "PRAGMA_LIST", "MODULE_LIST", "COLLATION_LIST", "DATABASE_LIST",
      "COMPILE_OPTIONS");

  private ReadClassifier() {
  }

  /** Whether {@code sql}, read by {@code lexer}'s rules, only reads (see the class comment). */
  public static boolean isRead(String sql, SqlLexer lexer) {
    Tokens tokens = new Tokens(sql, lexer);
    String first = tokens.next();
    while ("(".equals(first)) {
      first = tokens.next();
    }
    if (first == null) {
      return false;
    }
    if (READ_STARTS.contains(first)) {
      return writesNothing(tokens);
    }
    if ("EXPLAIN".equals(first)) {
      Tokens rest = new Tokens(sql, lexer);
      rest.at = tokens.at;
      return !runsStatement(tokens) || writesNothing(rest);
    }
    if ("PRAGMA".equals(first)) {
      return pragmaReads(tokens);
    }
    return false;
  }

  private static boolean writesNothing(Tokens tokens) {
    for (String token = tokens.next(); token != null; token = tokens.next()) {
      if (tokens.qualified) {
        continue;
      }
      if (WRITE_WORDS.contains(token) || "REPLACE".equals(token) && !"(".equals(tokens.peek())) {
        return false;
      }
    }
    return true;
  }

  private static boolean runsStatement(Tokens tokens) {
    for (String token = tokens.next(); token != null; token = tokens.next()) {
      if ("ANALYZE".equals(token) || "ANALYSE".equals(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean pragmaReads(Tokens tokens) {
    String name = tokens.next();
    String after = tokens.next();
    if (".".equals(after)) { // schema.name
      name = tokens.next();
      after = tokens.next();
    }
    if (name == null) {
      return false;
    }
    if (after == null || ";".equals(after)) {
      return !WORKING_PRAGMAS.contains(name);
    }
    return "(".equals(after) && READ_PRAGMAS_WITH_ARGUMENT.contains(name);
  }

  /**
   * The words (upper-cased) and punctuation of a statement, one at a time; literals and quoted
   * identifiers come as {@code "'"}, comments and whitespace not at all.
   */
  private static final class Tokens {
    private final String sql;
    private final SqlLexer lexer;
    int at;
    boolean qualified; // the last token followed a dot
    private @Nullable String last;

    Tokens(String sql, SqlLexer lexer) {
      this.sql = sql;
      this.lexer = lexer;
    }

    @Nullable String next() {
      qualified = ".".equals(last);
      last = read();
      return last;
    }

    @Nullable String peek() {
      int saved = at;
      String token = read();
      at = saved;
      return token;
    }

    private @Nullable String read() {
      at = lexer.skipBlank(sql, at);
      if (at >= sql.length()) {
        return null;
      }
      int quoted = lexer.skipQuoted(sql, at);
      if (quoted != at) {
        at = quoted;
        return "'";
      }
      int start = at;
      while (at < sql.length() && SqlLexer.isWordPart(sql.charAt(at))) {
        at++;
      }
      if (at == start) {
        at++;
      }
      return sql.substring(start, at).toUpperCase(Locale.ROOT);
    }
  }
}
