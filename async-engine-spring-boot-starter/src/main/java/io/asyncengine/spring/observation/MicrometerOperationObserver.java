package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.asyncio.OperationObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An engine's {@link OperationObserver} backed by Micrometer: each operation is an
 * {@link Observation} named {@value DefaultAsyncEngineObservationConvention#OPERATIONS}, each
 * connection acquisition one named {@value DefaultAsyncEngineObservationConvention#CONNECTIONS_ACQUIRE}
 * (see {@link AsyncEngineObservationDocumentation}). The observation is started on the caller's
 * thread, so the caller's current observation (its span) is its parent; its scope is open on the
 * lane around the JDBC work, so what a JDBC-level instrumentation records nests under it; it is
 * stopped, with {@code error(...)} for a failure other than a cancel, when the operation's future
 * completes. Micrometer's handlers turn it into a timer (Boot's {@code DefaultMeterObservationHandler})
 * and a span (a tracing bridge).
 *
 * <p>The starter installs one on the engine it builds; give an engine of your own one with
 * {@code AsyncEngine.builder().name("orders").observer(new MicrometerOperationObserver(registry, null, false))}.
 *
 * <p>Thread-safe; {@link #start} runs on the thread that calls the engine.
 */
public final class MicrometerOperationObserver implements OperationObserver {

  private static final AsyncEngineObservationConvention DEFAULT = new DefaultAsyncEngineObservationConvention();
  private static final AsyncEngineObservationConvention DEFAULT_ACQUISITION = new AcquisitionConvention(DEFAULT);

  private final ObservationRegistry registry;
  private final @Nullable AsyncEngineObservationConvention convention;
  private final @Nullable AsyncEngineObservationConvention acquisitionConvention;
  private final boolean includeParameters;

  /**
   * An observer recording into {@code registry}.
   *
   * @param convention the application's convention, or {@code null} for the default one; it shapes
   *     the contextual names and keys of acquisitions too, whose name stays
   *     {@value DefaultAsyncEngineObservationConvention#CONNECTIONS_ACQUIRE}
   * @param includeParameters whether the parameter values are recorded ({@code db.params})
   * @throws NullPointerException when {@code registry} is null
   */
  public MicrometerOperationObserver(ObservationRegistry registry, @Nullable AsyncEngineObservationConvention convention,
      boolean includeParameters) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.convention = convention;
    this.acquisitionConvention = convention == null ? null : new AcquisitionConvention(convention);
    this.includeParameters = includeParameters;
  }

  @Override
  public OperationObservation start(ObservedOperation operation) {
    boolean acquisition = CONNECTION_ACQUIRE.equals(operation.kind());
    AsyncEngineObservationContext context = new AsyncEngineObservationContext(operation, includeParameters);
    Observation observation = Observation.createNotStarted(acquisition ? acquisitionConvention : convention,
        acquisition ? DEFAULT_ACQUISITION : DEFAULT, () -> context, registry);
    if (observation.isNoop()) {
      return OperationObservation.NONE;
    }
    return new MicrometerOperationObservation(observation.start(), context);
  }

  @Override
  public String toString() {
    return "MicrometerOperationObserver[" + registry + "]";
  }
}
