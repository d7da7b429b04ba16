package io.asyncengine.bench;

import java.util.List;

/**
 * Sizes and repetitions of one comparison run. {@link #full()} runs the comparison's sizes;
 * {@link #smoke()} runs every workload at small sizes (the CI smoke test). Both are built by name,
 * setting by setting, so each number says what it is.
 *
 * @param quick whether this is the smoke-test mode
 * @param users rows in {@code bench_users}, the rows every lookup and transaction picks from
 * @param latencyWarmupSeconds W1's and W2's warm-up per contender, in seconds: a probe measured the
 *     engine's sequential path still getting faster after 3 s of calls (JIT), raw JDBC's simpler one
 *     sooner
 * @param latencyRounds W1's and W2's rounds: one measured run of every contender each (a run takes
 *     milliseconds, so many rounds are cheap and spread the contenders over the machine's phases)
 * @param latencyPool pool size per contender in W1 and W2
 * @param w1Lookups W1's sequential lookups per run
 * @param w2Tasks W2's concurrent lookups per run
 * @param w3Sizes W3's task counts, one group each
 * @param w3Warmups W3's warm-up batches of 1,000 transactions, the first time a contender runs
 * @param w3Runs W3's measured runs per task count whose median is reported (half of them, at least
 *     one, from 10,000 tasks on)
 * @param w3Pool W3's pool size
 * @param w4Tasks W4's flood: lookups submitted at once
 * @param w4Pool W4's pool size
 * @param w5Rows rows in {@code bench_stream_rows}, every one streamed by each W5 pass
 * @param w5Rounds W5's rounds: one timed pass of every contender each
 * @param w5Pool W5's pool size
 * @param w6Statements W6's statements, cancelled together
 * @param w6Pool W6's pool size
 * @param w7WarmupSeconds W7's warm-up of each application, per endpoint, in seconds (JIT)
 * @param w7Seconds W7's measured wrk run, per application, endpoint and round, in seconds
 * @param w7Rounds W7's rounds: one measured run of every application on every endpoint each (many
 *     short runs rather than a few long ones: this machine's slow phases last seconds, and short
 *     turns spread every application over them)
 * @param w7Connections W7's HTTP connections, kept alive by wrk's one thread
 * @param w7Pool W7's pool size, in each application
 * @param w7Accounts W7's accounts, the transfers' random pairs are drawn from
 */
public record Settings(
    boolean quick,
    int users,
    int latencyWarmupSeconds,
    int latencyRounds,
    int latencyPool,
    int w1Lookups,
    int w2Tasks,
    List<Integer> w3Sizes,
    int w3Warmups,
    int w3Runs,
    int w3Pool,
    int w4Tasks,
    int w4Pool,
    int w5Rows,
    int w5Rounds,
    int w5Pool,
    int w6Statements,
    int w6Pool,
    int w7WarmupSeconds,
    int w7Seconds,
    int w7Rounds,
    int w7Connections,
    int w7Pool,
    int w7Accounts) {

  /** Copies {@code w3Sizes}, so the settings stay as they were built. */
  public Settings {
    w3Sizes = List.copyOf(w3Sizes);
  }

  /** The comparison's sizes: tens of minutes. */
  public static Settings full() {
    return fullSizes().build();
  }

  /** Every workload, small: minutes, not tens of minutes. What differs from {@link #full()} is named here. */
  public static Settings smoke() {
    return fullSizes()
        .quick(true)
        .latencyWarmupSeconds(1)
        .latencyRounds(5)
        .w3Sizes(List.of(100, 1_000))
        .w3Warmups(1)
        .w3Runs(3)
        .w4Tasks(10_000)
        .w5Rows(100_000)
        .w5Rounds(1)
        .w6Statements(100)
        .w7WarmupSeconds(1)
        .w7Seconds(2)
        .w7Rounds(1)
        .build();
  }

  private static Builder fullSizes() {
    return new Builder()
        .quick(false)
        .users(10_000)
        .latencyWarmupSeconds(6)
        .latencyRounds(61)
        .latencyPool(10)
        .w1Lookups(100)
        .w2Tasks(10)
        .w3Sizes(List.of(100, 1_000, 10_000))
        .w3Warmups(3)
        .w3Runs(7)
        .w3Pool(16)
        .w4Tasks(100_000)
        .w4Pool(8)
        .w5Rows(1_000_000)
        .w5Rounds(5)
        .w5Pool(10)
        .w6Statements(1_000)
        .w6Pool(16)
        .w7WarmupSeconds(8)
        .w7Seconds(3)
        .w7Rounds(8)
        .w7Connections(32)
        .w7Pool(16)
        .w7Accounts(1_000);
  }

  /** Named construction of the settings; each method sets the component of the same name. */
  private static final class Builder {
    private boolean quick;
    private int users;
    private int latencyWarmupSeconds;
    private int latencyRounds;
    private int latencyPool;
    private int w1Lookups;
    private int w2Tasks;
    private List<Integer> w3Sizes = List.of();
    private int w3Warmups;
    private int w3Runs;
    private int w3Pool;
    private int w4Tasks;
    private int w4Pool;
    private int w5Rows;
    private int w5Rounds;
    private int w5Pool;
    private int w6Statements;
    private int w6Pool;
    private int w7WarmupSeconds;
    private int w7Seconds;
    private int w7Rounds;
    private int w7Connections;
    private int w7Pool;
    private int w7Accounts;

    Builder quick(boolean value) {
      quick = value;
      return this;
    }

    Builder users(int value) {
      users = value;
      return this;
    }

    Builder latencyWarmupSeconds(int value) {
      latencyWarmupSeconds = value;
      return this;
    }

    Builder latencyRounds(int value) {
      latencyRounds = value;
      return this;
    }

    Builder latencyPool(int value) {
      latencyPool = value;
      return this;
    }

    Builder w1Lookups(int value) {
      w1Lookups = value;
      return this;
    }

    Builder w2Tasks(int value) {
      w2Tasks = value;
      return this;
    }

    Builder w3Sizes(List<Integer> value) {
      w3Sizes = value;
      return this;
    }

    Builder w3Warmups(int value) {
      w3Warmups = value;
      return this;
    }

    Builder w3Runs(int value) {
      w3Runs = value;
      return this;
    }

    Builder w3Pool(int value) {
      w3Pool = value;
      return this;
    }

    Builder w4Tasks(int value) {
      w4Tasks = value;
      return this;
    }

    Builder w4Pool(int value) {
      w4Pool = value;
      return this;
    }

    Builder w5Rows(int value) {
      w5Rows = value;
      return this;
    }

    Builder w5Rounds(int value) {
      w5Rounds = value;
      return this;
    }

    Builder w5Pool(int value) {
      w5Pool = value;
      return this;
    }

    Builder w6Statements(int value) {
      w6Statements = value;
      return this;
    }

    Builder w6Pool(int value) {
      w6Pool = value;
      return this;
    }

    Builder w7WarmupSeconds(int value) {
      w7WarmupSeconds = value;
      return this;
    }

    Builder w7Seconds(int value) {
      w7Seconds = value;
      return this;
    }

    Builder w7Rounds(int value) {
      w7Rounds = value;
      return this;
    }

    Builder w7Connections(int value) {
      w7Connections = value;
      return this;
    }

    Builder w7Pool(int value) {
      w7Pool = value;
      return this;
    }

    Builder w7Accounts(int value) {
      w7Accounts = value;
      return this;
    }

    Settings build() {
      return new Settings(quick, users, latencyWarmupSeconds, latencyRounds, latencyPool, w1Lookups, w2Tasks, w3Sizes,
          w3Warmups, w3Runs, w3Pool, w4Tasks, w4Pool, w5Rows, w5Rounds, w5Pool, w6Statements, w6Pool,
          w7WarmupSeconds, w7Seconds, w7Rounds, w7Connections, w7Pool, w7Accounts);
    }
  }
}
