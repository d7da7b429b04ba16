package io.asyncengine.spring.metrics;

import io.asyncengine.asyncio.AsyncEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of every engine's admission gate, tagged {@code engine} with the bean name:
 * {@code asyncengine.gate.in.use} (connections out now), {@code asyncengine.gate.waiting}
 * (callers queued for one) and {@code asyncengine.gate.max} (connections allowed out at once).
 * Reading a gauge never blocks. Bound on the thread that binds meter binders (context startup).
 */
public final class AsyncEngineGateMeterBinder implements MeterBinder {

  private final Map<String, AsyncEngine> engines;

  /** @param engines the engines to measure, by bean name */
  public AsyncEngineGateMeterBinder(Map<String, AsyncEngine> engines) {
    this.engines = Map.copyOf(engines);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    engines.forEach((name, engine) -> {
      gauge(registry, "asyncengine.gate.in.use", "Connections out through the engine's admission gate", name, engine,
          e -> e.gateStats().inUse());
      gauge(registry, "asyncengine.gate.waiting", "Callers waiting in the engine's admission gate", name, engine,
          e -> e.gateStats().waiting());
      gauge(registry, "asyncengine.gate.max", "Connections the engine's admission gate lets out at once", name, engine,
          e -> e.gateStats().maxConcurrency());
    });
  }

  private static void gauge(MeterRegistry registry, String meter, String description, String engineName,
      AsyncEngine engine, ToDoubleFunction<AsyncEngine> value) {
    Gauge.builder(meter, engine, value)
        .description(description)
        .baseUnit("connections")
        .tag("engine", engineName)
        .strongReference(true)
        .register(registry);
  }
}
