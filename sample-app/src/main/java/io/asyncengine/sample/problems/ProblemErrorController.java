package io.asyncengine.sample.problems;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's {@code /error} page, which the servlet container forwards to for failures that
 * never reached a controller (a filter's exception, {@code sendError}), with the same kind of
 * problem as {@link ProblemHandler}'s. A request for {@code /error} itself gets {@code 404}. Runs on
 * the request's thread.
 */
@RestController
class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (status == null || uri == null) {
      status = HttpStatus.NOT_FOUND;
      uri = request.getRequestURI();
    }
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
      log.error("{} {} failed outside the controllers", request.getMethod(), uri, failure);
    }
    String detail = status == HttpStatus.NOT_FOUND ? "There is nothing at this path." : status.getReasonPhrase() + ".";
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(Problems.type(status == HttpStatus.NOT_FOUND ? "not-found" : "http-" + status.value()));
    problem.setTitle(status.getReasonPhrase());
    problem.setInstance(URI.create(String.valueOf(uri)));
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
