package io.asyncengine.spring.observation;

import io.asyncengine.asyncio.ObservedOperation;
import io.asyncengine.asyncio.OperationOutcome;
import io.asyncengine.core.Params;
import io.asyncengine.spring.observation.AsyncEngineObservationDocumentation.HighCardinalityKeys;
import io.asyncengine.spring.observation.AsyncEngineObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;
import java.util.List;
import java.util.Locale;

/**
 * The starter's names and keys: an operation is an observation named {@value #OPERATIONS}, a
 * connection acquisition one named {@value #CONNECTIONS_ACQUIRE}; the contextual name (a span's
 * name) is {@code asyncengine.} followed by the kind ({@code asyncengine.connection.execute},
 * {@code asyncengine.connection.acquire}). Low-cardinality keys: {@code kind}, {@code outcome}
 * ({@code unknown} until the operation ended), {@code engine}, {@code db.system}; high-cardinality:
 * {@code db.statement} when the operation has SQL, {@code db.params} when parameters are included
 * and there are some. See {@link AsyncEngineObservationDocumentation}.
 *
 * <p>Stateless and thread-safe.
 */
public class DefaultAsyncEngineObservationConvention implements AsyncEngineObservationConvention {

  /** The name of an operation's observation, and so of the timer Micrometer makes from it. */
  public static final String OPERATIONS = "asyncengine.operations";
  /** The name of a connection acquisition's observation, and so of its timer. */
  public static final String CONNECTIONS_ACQUIRE = "asyncengine.connections.acquire";

  private static final String PREFIX = "asyncengine.";
  private static final String UNKNOWN = "unknown";
  private static final OperationOutcome[] OUTCOMES = OperationOutcome.values();
  private static final String[] OUTCOME_VALUES = new String[OUTCOMES.length];

  static {
    for (OperationOutcome outcome : OUTCOMES) {
      OUTCOME_VALUES[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@value #OPERATIONS}. Connection acquisitions are named {@value #CONNECTIONS_ACQUIRE} whatever
   * the convention says (see {@link MicrometerOperationObserver}).
   */
  @Override
  public String getName() {
    return OPERATIONS;
  }

  @Override
  public String getContextualName(AsyncEngineObservationContext context) {
    return PREFIX + context.getOperation().kind();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(AsyncEngineObservationContext context) {
    ObservedOperation operation = context.getOperation();
    OperationOutcome outcome = context.getOutcome();
    return KeyValues.of(
        LowCardinalityKeys.KIND.withValue(operation.kind()),
        LowCardinalityKeys.OUTCOME.withValue(outcome == null ? UNKNOWN : OUTCOME_VALUES[outcome.ordinal()]),
        LowCardinalityKeys.ENGINE.withValue(operation.engine()),
        LowCardinalityKeys.DB_SYSTEM.withValue(operation.databaseSystem()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(AsyncEngineObservationContext context) {
    ObservedOperation operation = context.getOperation();
    String sql = operation.sql();
    if (sql == null) {
      return KeyValues.empty();
    }
    KeyValues values = KeyValues.of(HighCardinalityKeys.DB_STATEMENT.withValue(sql));
    List<Params> parameters = operation.parameters();
    if (context.isIncludeParameters() && !parameters.isEmpty()) {
      values = values.and(HighCardinalityKeys.DB_PARAMS.withValue(describe(parameters)));
    }
    return values;
  }

  /** One execution's values as {@link Params#describe()} prints them; a batch's, one after another. */
  private static String describe(List<Params> parameters) {
    if (parameters.size() == 1) {
      return parameters.get(0).describe();
    }
    StringBuilder text = new StringBuilder();
    for (Params params : parameters) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(params.describe());
    }
    return text.toString();
  }
}
