package io.asyncengine.spring.diagnostics;

/**
 * Thrown at startup when the pool the starter creates cannot open its first connection. Explained
 * by {@link DatabaseUnreachableFailureAnalyzer}.
 */
public final class DatabaseUnreachableException extends RuntimeException {

  private final String url;

  /**
   * @param url the JDBC URL the pool tried (printed without its query string, which may hold a password)
   * @param cause why the connection failed
   */
  public DatabaseUnreachableException(String url, Throwable cause) {
    super("Cannot connect to " + withoutQuery(url) + ": " + cause.getMessage(), cause);
    this.url = withoutQuery(url);
  }

  /** The JDBC URL without its query string. */
  public String url() {
    return url;
  }

  static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
