package io.asyncengine.spring;

import io.asyncengine.concurrent.ContextPropagator;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskDecorator;

/**
 * The propagators the starter installs on every engine, outermost first: the SLF4J MDC and the
 * application's {@code TaskDecorator} (the one Boot also applies to its own task executor).
 * Micrometer's context snapshot comes from {@link AsyncEngineAutoConfiguration}'s
 * context-propagation customizer, present only with that library.
 */
final class StarterContextPropagators {

  private StarterContextPropagators() {}

  static List<ContextPropagator> of(@Nullable TaskDecorator decorator) {
    List<ContextPropagator> propagators = new ArrayList<>(2);
    propagators.add(ContextPropagator.mdc());
    if (decorator != null) {
      propagators.add(decorator::decorate);
    }
    return propagators;
  }
}
