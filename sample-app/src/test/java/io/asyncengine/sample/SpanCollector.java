package io.asyncengine.sample;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Keeps every span the application finishes, as Brave hands it to its span handlers (Boot adds
 * every {@link SpanHandler} bean to its {@code Tracing}). Thread-safe; spans are copied when they
 * end, so later handlers cannot change them.
 */
final class SpanCollector extends SpanHandler {

  private final ConcurrentLinkedQueue<MutableSpan> spans = new ConcurrentLinkedQueue<>();

  @Override
  public boolean end(TraceContext context, MutableSpan span, Cause cause) {
    if (cause == Cause.FINISHED) {
      spans.add(new MutableSpan(span));
    }
    return true;
  }

  void clear() {
    spans.clear();
  }

  List<MutableSpan> all() {
    return new ArrayList<>(spans);
  }

  List<MutableSpan> inTrace(String traceId) {
    return spans.stream().filter(s -> traceId.equals(s.traceId())).toList();
  }

  List<MutableSpan> matching(Predicate<MutableSpan> filter) {
    return spans.stream().filter(filter).toList();
  }

  /** The HTTP server span tagged with {@code requestId}, when it has ended. */
  Optional<MutableSpan> serverSpan(String requestId) {
    return spans.stream()
        .filter(s -> s.kind() == brave.Span.Kind.SERVER && requestId.equals(s.tag("request.id")))
        .findFirst();
  }

  /** Whether {@code ancestor} is {@code span}'s parent, grandparent, ... within the spans kept. */
  boolean descendsFrom(MutableSpan span, MutableSpan ancestor) {
    List<MutableSpan> trace = inTrace(Objects.requireNonNull(span.traceId()));
    @Nullable String parent = span.parentId();
    for (int depth = 0; parent != null && depth < 64; depth++) {
      if (parent.equals(ancestor.id())) {
        return true;
      }
      String wanted = parent;
      parent = trace.stream().filter(s -> wanted.equals(s.id())).findFirst().map(MutableSpan::parentId).orElse(null);
    }
    return false;
  }
}
