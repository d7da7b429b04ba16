package io.asyncengine.concurrent.internal;

import io.asyncengine.concurrent.ContextPropagator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries the SLF4J MDC: a copy of the submitter's map is installed for the task, and the running
 * thread's own map is put back afterwards (cleared when it had none).
 */
public final class MdcPropagator implements ContextPropagator {

  /** The one instance: it holds no state. */
  public static final MdcPropagator INSTANCE = new MdcPropagator();

  private MdcPropagator() {}

  @Override
  public Runnable propagate(Runnable task) {
    @Nullable Map<String, String> captured = MDC.getCopyOfContextMap();
    return () -> {
      @Nullable Map<String, String> previous = MDC.getCopyOfContextMap();
      install(captured);
      try {
        task.run();
      } finally {
        install(previous);
      }
    };
  }

  private static void install(@Nullable Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      MDC.clear();
    } else {
      MDC.setContextMap(map);
    }
  }

  @Override
  public String toString() {
    return "ContextPropagator.mdc()";
  }
}
