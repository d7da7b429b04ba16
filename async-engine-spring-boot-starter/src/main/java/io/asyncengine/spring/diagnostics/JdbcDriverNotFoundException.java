package io.asyncengine.spring.diagnostics;

/**
 * Thrown at startup when no JDBC driver on the classpath accepts the URL of a pool the starter
 * would create. Explained by {@link JdbcDriverNotFoundFailureAnalyzer}.
 */
public final class JdbcDriverNotFoundException extends RuntimeException {

  private final String url;

  /** @param url the JDBC URL no driver accepted */
  public JdbcDriverNotFoundException(String url) {
    super("No JDBC driver on the classpath accepts " + DatabaseUnreachableException.withoutQuery(url));
    this.url = DatabaseUnreachableException.withoutQuery(url);
  }

  /** The JDBC URL without its query string. */
  public String url() {
    return url;
  }
}
