package io.asyncengine.dialect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dialect's knowledge of where its driver's error messages repeat data values, so that the
 * engine's message can leave them out when parameters must not be shown ({@code echo} off). The
 * driver's exception, kept as the cause, is not changed.
 *
 * <p>Thread: implementations are stateless and safe for concurrent use.
 */
@FunctionalInterface
interface ValueFreeMessage {

  /** What replaces a value cut out of a message. */
  String HIDDEN = "[value hidden]";

  /** Messages kept as the driver wrote them: SQLite's name the table, column or CHECK expression only. */
  ValueFreeMessage AS_IS = message -> message;

  /**
   * pgjdbc: the first line, the server's severity and primary message ({@code duplicate key value
   * violates unique constraint "users_email_key"}). The lines after it ({@code Detail}, {@code Hint},
   * {@code Position}, {@code Where}, labelled in the JVM's language) are left out: {@code Detail}
   * repeats the key or the whole failing row, {@code Where} the context it failed in.
   */
  ValueFreeMessage POSTGRESQL = message -> {
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end).strip();
  };

  /**
   * MariaDB and MySQL: the value quoted after {@code Duplicate entry} (1062, 1586),
   * {@code value:} (1292, 1366, 1411 and their kin: "Incorrect integer value: 'abc' for column") and
   * {@code near} (1064: with client-side prepared statements the text near the error may hold a
   * bound value) becomes {@value #HIDDEN}. The value runs to the last quote before the message's
   * own continuation, since the server does not escape quotes inside it.
   */
  ValueFreeMessage MARIADB = new ValueFreeMessage() {
    // Greedy: a value may itself contain the text that follows it; the last occurrence is the real one.
    private final Pattern[] quoted = {
        Pattern.compile("(Duplicate entry )'.*'(?= for key )", Pattern.DOTALL),
        Pattern.compile("( value: )'.*'(?= for column )", Pattern.DOTALL),
        Pattern.compile("( value: )'.*'$", Pattern.DOTALL),
        Pattern.compile("( near )'.*'(?= at line )", Pattern.DOTALL),
    };

    @Override
    public String of(String message) {
      String result = message;
      for (Pattern pattern : quoted) {
        result = pattern.matcher(result).replaceFirst("$1" + Matcher.quoteReplacement(HIDDEN));
      }
      return result;
    }
  };

  /** {@code message} (never null) without the data values this dialect's driver puts in it. */
  String of(String message);
}
