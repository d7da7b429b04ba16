package io.asyncengine.sample.problems;

import io.asyncengine.error.StatementTimeoutException;
import io.asyncengine.spring.jdbc.EngineExceptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into an RFC 9457 problem ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, and for validation failures an
 * {@code errors} list of {@code {field, message}}. Bodies never carry a stack trace, SQL, a driver
 * message or a value from the request (a hostile value must not be reflected); the full failure is
 * logged instead (5xx at ERROR with its stack trace, 4xx at DEBUG). Runs on the request's thread.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  /** A problem the application raised itself. */
  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    log.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    return respond(e.status(), e.type(), e.title(), e.getMessage(), request, null);
  }

  /** Bean Validation on path variables and query parameters of a {@code @Validated} bean. */
  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
    List<Map<String, String>> errors = e.getConstraintViolations().stream()
        .map(v -> Map.of("field", String.valueOf(v.getPropertyPath()), "message", v.getMessage()))
        .sorted(Comparator.comparing(m -> m.get("field")))
        .toList();
    return respond(HttpStatus.BAD_REQUEST, Problems.type("validation"), "Invalid request",
        "The request has invalid fields.", request, errors);
  }

  /**
   * Database and engine failures, translated to Spring's {@link DataAccessException} types by the
   * starter (or here, for those the engine raises outside a future, such as a task group's
   * deadline).
   */
  @ExceptionHandler({DataAccessException.class, io.asyncengine.error.AsyncEngineException.class,
      CompletionException.class, CancellationException.class})
  ResponseEntity<ProblemDetail> dataAccess(RuntimeException failure, HttpServletRequest request) {
    RuntimeException e = failure instanceof StatementTimeoutException ? failure : EngineExceptions.translate(failure);
    if (e instanceof DuplicateKeyException) {
      return client(e, HttpStatus.CONFLICT, "duplicate", "Conflict",
          "A resource with the same unique value already exists.", request);
    }
    if (e instanceof OptimisticLockingFailureException) {
      return client(e, HttpStatus.CONFLICT, "stale-version", "Conflict",
          "The resource was changed by another request; read it again and retry.", request);
    }
    if (e instanceof DataIntegrityViolationException) {
      return client(e, HttpStatus.CONFLICT, "data-integrity", "Conflict",
          "The change violates a rule of the stored data.", request);
    }
    if (e instanceof QueryTimeoutException || e instanceof StatementTimeoutException
        || e instanceof CannotGetJdbcConnectionException || e instanceof CannotAcquireLockException
        || e instanceof PessimisticLockingFailureException) {
      log.warn("{} {} timed out or found the database busy", request.getMethod(), request.getRequestURI(), e);
      ResponseEntity<ProblemDetail> response = respond(HttpStatus.SERVICE_UNAVAILABLE, Problems.type("unavailable"),
          "Service unavailable", "The database did not answer in time; retry later.", request, null);
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
          .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
    }
    if (e instanceof CancellationException) {
      log.warn("{} {} was cancelled", request.getMethod(), request.getRequestURI(), e);
      return respond(HttpStatus.SERVICE_UNAVAILABLE, Problems.type("unavailable"), "Service unavailable",
          "The request was cancelled; retry later.", request, null);
    }
    log.error("{} {} failed in the database", request.getMethod(), request.getRequestURI(), e);
    return respond(HttpStatus.INTERNAL_SERVER_ERROR, Problems.type("database-error"), "Database error",
        "The database could not complete the request.", request, null);
  }

  /** Anything else: a bug. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return respond(HttpStatus.INTERNAL_SERVER_ERROR, Problems.type("internal-error"), "Internal error",
        "The request could not be completed.", request, null);
  }

  /**
   * Spring MVC's own failures (bad JSON, validation, wrong types, unknown paths, methods, media
   * types): Spring's status with a detail of ours, since some of Spring's details repeat request
   * values.
   */
  @Override
  protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
      HttpHeaders headers, HttpStatusCode statusCode, WebRequest webRequest) {
    HttpServletRequest request = ((NativeWebRequest) webRequest).getNativeRequest(HttpServletRequest.class);
    HttpStatus status = HttpStatus.valueOf(statusCode.value());
    log.debug("{} {}: {}", request == null ? "?" : request.getMethod(),
        request == null ? "?" : request.getRequestURI(), ex.toString());
    String code = "http-" + status.value();
    String detail = status.getReasonPhrase() + ".";
    List<Map<String, String>> errors = null;
    if (ex instanceof MethodArgumentNotValidException invalid) {
      code = "validation";
      detail = "The request has invalid fields.";
      errors = invalid.getBindingResult().getFieldErrors().stream()
          .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
          .sorted(Comparator.comparing((Map<String, String> m) -> m.get("field")).thenComparing(m -> m.get("message")))
          .toList();
    } else if (ex instanceof HandlerMethodValidationException invalid) {
      code = "validation";
      detail = "The request has invalid parameters.";
      errors = invalid.getParameterValidationResults().stream()
          .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
              "field", String.valueOf(r.getMethodParameter().getParameterName()),
              "message", String.valueOf(err.getDefaultMessage()))))
          .toList();
    } else if (ex instanceof HttpMessageNotReadableException) {
      code = "unreadable-body";
      detail = "The request body is not valid JSON or does not have the expected shape.";
    } else if (ex instanceof TypeMismatchException mismatch) {
      code = "type-mismatch";
      detail = "Parameter '" + mismatch.getPropertyName() + "' has the wrong type.";
    } else if (ex instanceof NoResourceFoundException) {
      code = "not-found";
      detail = "There is nothing at this path.";
    }
    ProblemDetail problem = problemBody(status, Problems.type(code), status.getReasonPhrase(), detail,
        request, errors);
    HttpHeaders out = new HttpHeaders();
    out.putAll(headers);
    out.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(problem, out, status);
  }

  private ResponseEntity<ProblemDetail> client(RuntimeException e, HttpStatus status, String code, String title,
      String detail, HttpServletRequest request) {
    log.info("{} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
    return respond(status, Problems.type(code), title, detail, request, null);
  }

  private static ResponseEntity<ProblemDetail> respond(HttpStatus status, java.net.URI type, String title,
      String detail, @Nullable HttpServletRequest request, @Nullable List<Map<String, String>> errors) {
    return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(problemBody(status, type, title, detail, request, errors));
  }

  private static ProblemDetail problemBody(HttpStatus status, java.net.URI type, String title, String detail,
      @Nullable HttpServletRequest request, @Nullable List<Map<String, String>> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    if (request != null) {
      problem.setInstance(java.net.URI.create(request.getRequestURI()));
    }
    if (errors != null) {
      problem.setProperty("errors", errors);
    }
    return problem;
  }
}
