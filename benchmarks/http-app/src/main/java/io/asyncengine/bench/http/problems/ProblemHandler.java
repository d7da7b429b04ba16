package io.asyncengine.bench.http.problems;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link ProblemException} with {@code application/problem+json}, as the sample app does.
 * Anything else is left to Spring's defaults (database failures: {@code 500}). Runs on the
 * request's thread.
 */
@RestControllerAdvice
public class ProblemHandler {

  /** A problem the application raised itself. */
  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    problem.setType(e.type());
    problem.setTitle(e.title());
    problem.setInstance(URI.create(request.getRequestURI()));
    return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
