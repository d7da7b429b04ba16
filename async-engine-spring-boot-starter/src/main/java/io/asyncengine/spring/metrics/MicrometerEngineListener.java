package io.asyncengine.spring.metrics;

import io.asyncengine.asyncio.EngineListener;
import io.asyncengine.asyncio.OperationOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineListener} that records one engine's work in Micrometer timers, tagged
 * {@code engine} with the engine's name:
 * <ul>
 *   <li>{@value #OPERATIONS}, tags {@code kind} (the listener's operation kinds, such as
 *       {@code connection.execute} or {@code session.flush}) and {@code outcome}
 *       ({@code success}, {@code error}, {@code cancelled}, {@code timeout}): each operation from
 *       its call to its completion;
 *   <li>{@value #ACQUIRE}, tags {@code phase} and {@code outcome}: each connect, recorded twice,
 *       once per phase: {@code gate} is the wait for the admission gate, {@code pool} the borrow
 *       from the pool after admission (0 for a connect that never got past the gate). The sum of the
 *       two phases is the whole acquisition; the count of either phase is the number of connects.
 * </ul>
 * With observations on (an {@code ObservationRegistry} and {@code async-engine.observations.enabled}),
 * the starter's listener records only the phases, as {@value #ACQUIRE_PHASE}: the two timers above
 * then come from the engine's observations (tags {@code kind}, {@code outcome}, {@code engine},
 * {@code db.system}, and Micrometer's {@code error}; an acquisition has the kind
 * {@code connection.acquire} and no phase).
 *
 * <p>The starter installs one on the engine it builds, named {@code asyncEngine}; give an engine of
 * your own one with {@code AsyncEngine.builder().listener(new MicrometerEngineListener(registry, "ordersEngine"))}.
 *
 * <p>Recording is a map lookup and a timer update: it never blocks. Timers are registered on first
 * use. Thread-safe; called on the engine's threads.
 */
public final class MicrometerEngineListener implements EngineListener {

  /** The operations timer's name. */
  public static final String OPERATIONS = "asyncengine.operations";
  /** The connection acquisition timer's name. */
  public static final String ACQUIRE = "asyncengine.connections.acquire";
  /**
   * The acquisition phases' timer name when observations time the operations and acquisitions
   * (see {@link #MicrometerEngineListener(MeterRegistry, String, boolean)}).
   */
  public static final String ACQUIRE_PHASE = "asyncengine.connections.acquire.phase";

  private static final OperationOutcome[] OUTCOMES = OperationOutcome.values();
  private static final String[] OUTCOME_TAGS = new String[OUTCOMES.length];
  private static final int GATE = 0;
  private static final int POOL = 1;
  private static final String[] PHASE_TAGS = { "gate", "pool" };

  static {
    for (OperationOutcome outcome : OUTCOMES) {
      OUTCOME_TAGS[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final String engine;
  /** Observations record {@link #OPERATIONS} and {@link #ACQUIRE}: this listener records only the phases. */
  private final boolean observed;
  private final String acquireName;
  /** By kind, then by outcome; filled on first use (a lost race registers the same meter twice, which the registry dedupes). */
  private final ConcurrentHashMap<String, Timer[]> operations = new ConcurrentHashMap<>();
  /** By phase, then by outcome; filled on first use. */
  private final Timer[][] acquisitions = new Timer[PHASE_TAGS.length][OUTCOMES.length];

  /**
   * A listener recording into {@code registry} under the engine name {@code engine}.
   *
   * @throws NullPointerException when an argument is null
   */
  public MicrometerEngineListener(MeterRegistry registry, String engine) {
    this(registry, engine, false);
  }

  /**
   * A listener recording into {@code registry} under the engine name {@code engine}. With
   * {@code observed}, the engine's Micrometer observations already make the {@value #OPERATIONS}
   * and {@value #ACQUIRE} timers (from the observations, through the registry's meter handler): this
   * listener then records no operation, and records the acquisition phases as
   * {@value #ACQUIRE_PHASE} (same tags), so no meter is recorded twice or under two tag sets.
   *
   * @throws NullPointerException when an argument is null
   */
  public MicrometerEngineListener(MeterRegistry registry, String engine, boolean observed) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.observed = observed;
    this.acquireName = observed ? ACQUIRE_PHASE : ACQUIRE;
  }

  @Override
  public void operationCompleted(String kind, OperationOutcome outcome, long nanos) {
    if (observed) {
      return; // the observation of this operation makes the timer
    }
    Timer[] byOutcome = operations.computeIfAbsent(kind, k -> new Timer[OUTCOMES.length]);
    Timer timer = byOutcome[outcome.ordinal()];
    if (timer == null) {
      timer = Timer.builder(OPERATIONS)
          .description("Operations of the async engine, from the call to the completion of their future")
          .tag("kind", kind)
          .tag("outcome", OUTCOME_TAGS[outcome.ordinal()])
          .tag("engine", engine)
          .register(registry);
      byOutcome[outcome.ordinal()] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connectionAcquired(long gateWaitNanos, long poolNanos, OperationOutcome outcome) {
    acquisition(GATE, outcome).record(gateWaitNanos, TimeUnit.NANOSECONDS);
    acquisition(POOL, outcome).record(poolNanos, TimeUnit.NANOSECONDS);
  }

  private Timer acquisition(int phase, OperationOutcome outcome) {
    Timer timer = acquisitions[phase][outcome.ordinal()];
    if (timer == null) {
      timer = Timer.builder(acquireName)
          .description("Connection acquisition by the async engine: the wait in its admission gate (phase gate) and the borrow from the pool (phase pool)")
          .tag("phase", PHASE_TAGS[phase])
          .tag("outcome", OUTCOME_TAGS[outcome.ordinal()])
          .tag("engine", engine)
          .register(registry);
      acquisitions[phase][outcome.ordinal()] = timer;
    }
    return timer;
  }

  @Override
  public String toString() {
    return "MicrometerEngineListener[" + engine + (observed ? ", phases only" : "") + "]";
  }
}
