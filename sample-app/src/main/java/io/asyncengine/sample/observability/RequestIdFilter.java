package io.asyncengine.sample.observability;

import io.micrometer.common.KeyValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Gives every request an id: the client's {@value #HEADER} when it is a plausible id (1 to
 * {@value #MAX_LENGTH} letters, digits, {@code - _ . :}), a new random UUID otherwise, so a hostile
 * header never reaches a log line. The id is
 * <ul>
 *   <li>in the SLF4J MDC as {@value #MDC_KEY} while the request runs (the log pattern shows it, and
 *       the engine carries the MDC to its threads, so its statement echo shows it too);</li>
 *   <li>in the response's {@value #HEADER}, set before the handler runs, so errors and streamed
 *       responses have it;</li>
 *   <li>a tag ({@value #TAG}) of the request's HTTP server observation, so a trace can be found by
 *       the id a client reports.</li>
 * </ul>
 * Runs on the request's thread for the first dispatch and again for the async and error dispatches
 * of the same request (reusing the id). The thread's previous MDC value is restored afterwards, so
 * nothing is left on a reused thread.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

  /** The request and response header. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key, used in {@code logging.pattern.correlation}. */
  public static final String MDC_KEY = "requestId";

  /** The key of the HTTP server observation (a span tag when tracing). */
  public static final String TAG = "request.id";

  /** The longest client id accepted. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
  private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = idOf(request);
    response.setHeader(HEADER, id);
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(context -> context.addHighCardinalityKeyValue(KeyValue.of(TAG, id)));
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    try {
      chain.doFilter(request, response);
    } finally {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    }
  }

  /** The id this request already got (an async or error dispatch), the client's, or a new one. */
  private static String idOf(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof String known) {
      return known;
    }
    String id = accepted(request.getHeader(HEADER));
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
    request.setAttribute(ATTRIBUTE, id);
    return id;
  }

  private static @Nullable String accepted(@Nullable String header) {
    return header != null && ACCEPTED.matcher(header).matches() ? header : null;
  }

  /** Also for the async dispatch of a streamed or deferred response. */
  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  /** Also for the error dispatch to {@code /error}, whose log line names the failure. */
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }
}
