package io.asyncengine.bench.http.problems;

import java.net.URI;
import org.springframework.http.HttpStatus;

/** A failure answered with an RFC 9457 problem of the sample app's kind: status, type, title, detail. */
public final class ProblemException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final String title;

  /** A problem of {@code status}, type {@code code}, with a short {@code title} and {@code detail}. */
  public ProblemException(HttpStatus status, String code, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
  }

  /** 404: no {@code what} with the id given. */
  public static ProblemException notFound(String what) {
    return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No " + what + " has this id.");
  }

  /** The HTTP status. */
  public HttpStatus status() {
    return status;
  }

  /** The problem type's URI, {@code urn:asyncengine:sample:problem:<code>}. */
  public URI type() {
    return URI.create("urn:asyncengine:sample:problem:" + code);
  }

  /** The problem's title. */
  public String title() {
    return title;
  }
}
