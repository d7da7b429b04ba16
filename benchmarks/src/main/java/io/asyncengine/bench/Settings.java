package io.asyncengine.bench;

import java.util.List;

/**
 * Sizes and repetitions of one comparison run. {@link #smoke()} runs every workload at small sizes
 * (the CI smoke test); {@link #full()} runs benchmarks.md's sizes.
 *
 * @param quick whether this is the smoke-test mode
 * @param warmups unmeasured runs before each measured series
 * @param runs measured runs whose median is reported (W3)
 * @param latencyWarmupSeconds W1's and W2's warm-up per contender: a probe measured the engine's
 *     sequential path still getting faster after 3 s of calls (JIT), raw JDBC's simpler one sooner
 * @param latencyRuns W1's and W2's rounds: one measured run of every contender each (a run takes
 *     milliseconds, so many rounds are cheap and spread the contenders over the machine's phases)
 * @param users rows in {@code users}
 * @param w1Lookups W1's sequential lookups
 * @param w2Tasks W2's concurrent lookups
 * @param w2Pool pool size for W1 and W2
 * @param w3Sizes W3's task counts
 * @param w3Pool W3's pool size
 * @param w4Tasks W4's flood size
 * @param w4Pool W4's pool size
 * @param w5Rows W5's streamed rows
 * @param w5Runs W5's timed passes per contender (each pass streams every row)
 * @param w6Statements W6's cancelled statements
 * @param w6Pool W6's pool size
 */
public record Settings(
    boolean quick,
    int warmups,
    int runs,
    int latencyWarmupSeconds,
    int latencyRuns,
    int users,
    int w1Lookups,
    int w2Tasks,
    int w2Pool,
    List<Integer> w3Sizes,
    int w3Pool,
    int w4Tasks,
    int w4Pool,
    int w5Rows,
    int w5Runs,
    int w6Statements,
    int w6Pool) {

  /** benchmarks.md's sizes. */
  public static Settings full() {
    return new Settings(false, 3, 7, 6, 61, 10_000, 100, 10, 10, List.of(100, 1_000, 10_000), 16, 100_000, 8, 1_000_000, 5, 1_000, 16);
  }

  /** Every workload, small: minutes, not tens of minutes. */
  public static Settings smoke() {
    return new Settings(true, 1, 3, 1, 5, 10_000, 100, 10, 10, List.of(100, 1_000), 16, 10_000, 8, 100_000, 1, 100, 16);
  }
}
