package io.asyncengine.spring.diagnostics;

import java.util.Locale;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a JDBC URL no driver on the classpath accepts, naming the dependency to add. */
public final class JdbcDriverNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<JdbcDriverNotFoundException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, JdbcDriverNotFoundException cause) {
    return new FailureAnalysis(
        "async-engine cannot open " + cause.url() + ": no JDBC driver on the classpath accepts this URL.",
        "Add the driver to the application's dependencies" + dependencyFor(cause.url())
            + ", or correct async-engine.url if it is misspelt.",
        cause);
  }

  private static String dependencyFor(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return " (org.postgresql:postgresql)";
    }
    if (lower.startsWith("jdbc:mariadb:")) {
      return " (org.mariadb.jdbc:mariadb-java-client)";
    }
    if (lower.startsWith("jdbc:mysql:")) {
      return " (com.mysql:mysql-connector-j)";
    }
    if (lower.startsWith("jdbc:sqlite:")) {
      return " (org.xerial:sqlite-jdbc)";
    }
    return "";
  }
}
