package io.asyncengine.sample.observability;

import io.micrometer.context.ContextRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * The request id and the propagation of the request's context beyond its thread.
 *
 * <p>The engine's own work needs nothing here: the starter carries the caller's MDC and Micrometer
 * context (the current observation, hence the trace) to the engine's lanes, continuations and
 * {@code TaskGroup} tasks. This class adds what the application's other threads need: a
 * {@link TaskDecorator} that Boot applies to its task executor, which runs Spring MVC's async work
 * (the body of {@code /api/users/stream}); the starter applies it to the engine too. The request id
 * is registered with Micrometer's {@link ContextRegistry}, so every context snapshot (this
 * decorator's, the engine's, Reactor's) carries it with the observation.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

  /** The request id filter, inside Boot's HTTP server observation filter so it can tag its span. */
  @Bean
  FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
    FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
    // Boot's ServerHttpObservationFilter is at HIGHEST_PRECEDENCE + 1.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    return registration;
  }

  /**
   * Runs tasks of Boot's task executor (Spring MVC async processing) with the submitter's Micrometer
   * context: the current observation, so the trace and its MDC fields, and the request id.
   */
  @Bean
  TaskDecorator contextPropagatingTaskDecorator() {
    registerRequestId(ContextRegistry.getInstance());
    return new ContextPropagatingTaskDecorator();
  }

  /** Makes the request id's MDC entry one of the thread locals a context snapshot captures. */
  static void registerRequestId(ContextRegistry registry) {
    // Registering again under the same key replaces the accessor: safe for several contexts in a JVM.
    registry.registerThreadLocalAccessor("mdc." + RequestIdFilter.MDC_KEY,
        () -> MDC.get(RequestIdFilter.MDC_KEY),
        id -> MDC.put(RequestIdFilter.MDC_KEY, id),
        () -> MDC.remove(RequestIdFilter.MDC_KEY));
  }
}
