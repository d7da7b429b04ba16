package io.asyncengine.sample.problems;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * A failure the application answers with an RFC 9457 problem of its own: a status, a type (a URN
 * {@code urn:asyncengine:sample:problem:<code>}), a title and a detail. Details are written by the
 * application and never contain request values, SQL or driver messages.
 */
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

  /** The problem type's URI. */
  public URI type() {
    return Problems.type(code);
  }

  /** The problem's title. */
  public String title() {
    return title;
  }
}
