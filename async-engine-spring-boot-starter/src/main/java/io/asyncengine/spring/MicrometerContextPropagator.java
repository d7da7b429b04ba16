package io.asyncengine.spring;

import io.asyncengine.concurrent.ContextPropagator;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Carries every thread local registered with Micrometer's global {@code ContextRegistry} (the
 * current Observation and so the tracing span, Spring Security's context, and any the application
 * registers). Loaded only when the context-propagation library is present.
 */
final class MicrometerContextPropagator implements ContextPropagator {

  private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

  @Override
  public Runnable propagate(Runnable task) {
    return snapshots.captureAll().wrap(task);
  }

  @Override
  public String toString() {
    return "Micrometer context-propagation";
  }
}
