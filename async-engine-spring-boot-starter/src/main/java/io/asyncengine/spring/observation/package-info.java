/**
 * Micrometer Observations of async-engine's operations and connection acquisitions (with
 * micrometer-observation on the classpath and an {@code ObservationRegistry} bean): the engine's
 * {@code OperationObserver} backed by Micrometer, its context, convention and documentation.
 */
@NullMarked
package io.asyncengine.spring.observation;

import org.jspecify.annotations.NullMarked;
