package io.asyncengine.dialect;

/**
 * The lexical rules a database reads SQL text by, as far as the engine needs them: where string
 * literals, quoted identifiers and comments begin and end, so that a {@code ?} or {@code :name}
 * inside them is not taken for a parameter marker and a keyword inside them is not taken for a
 * keyword. Every dialect skips {@code --} line comments, {@code /* *}{@code /} block comments,
 * {@code '…'} strings and {@code "…"} with a doubled quote as the escape of a quote.
 */
public enum SqlLexing {

  /** Standard SQL: no backslash escapes; {@code "…"} is a quoted identifier. */
  STANDARD,

  /** SQLite: standard, plus {@code `…`} and {@code […]} quoted identifiers. */
  SQLITE,

  /**
   * PostgreSQL: standard strings ({@code standard_conforming_strings} on, the default since 9.1),
   * {@code E'…'} strings with backslash escapes, {@code $tag$…$tag$} dollar quotes, nested block
   * comments; {@code ::} casts are not markers, and {@code ??} is pgjdbc's escape for a literal
   * {@code ?} operator.
   */
  POSTGRESQL,

  /**
   * MariaDB and MySQL: {@code '…'} and {@code "…"} are strings with backslash escapes, unless the
   * session's {@code sql_mode} has {@code NO_BACKSLASH_ESCAPES}; {@code `…`} quotes identifiers;
   * {@code #} starts a line comment.
   */
  MARIADB
}
