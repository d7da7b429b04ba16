/**
 * Request ids and trace context: every request gets an id ({@code X-Request-Id}, accepted or
 * generated) in the SLF4J MDC and its response, and the request's context (MDC and current
 * observation) follows the work onto the engine's threads and the MVC async threads.
 */
@NullMarked
package io.asyncengine.sample.observability;

import org.jspecify.annotations.NullMarked;
