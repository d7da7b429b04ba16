package io.asyncengine.bench.report;

/**
 * A figure a workload reports beside its headline value: a name (as the table, the Markdown report
 * and the JSON print it) and a type, so that whoever writes a figure and whoever reads it (a
 * target) agree on both at compile time. Every figure the workloads report is declared here.
 *
 * @param <T> the type of the figure's value
 */
public final class Figure<T> {

  /** Tasks, passes or statements that failed or were left behind; targets with "no errors" need it. */
  public static final Figure<Integer> ERRORS = new Figure<>("errors", Integer.class);
  /** Measured runs (or rounds) whose median is the headline value. */
  public static final Figure<Integer> RUNS = new Figure<>("runs", Integer.class);
  /**
   * W3: median latency from submission to commit, in milliseconds, of the run closest to the median
   * throughput. W7: median latency of an HTTP request as wrk measured it, median of the rounds.
   */
  public static final Figure<Double> P50_MS = new Figure<>("p50Ms", Double.class);
  /** W3: 99th-percentile latency from submission to commit, in milliseconds, of the same run. W7: as P50_MS, the 99th percentile. */
  public static final Figure<Double> P99_MS = new Figure<>("p99Ms", Double.class);
  /**
   * W3: CPU seconds of this process per 1,000 transactions, median of the runs. W7: CPU seconds of
   * the application's process per 1,000 requests, median of the rounds.
   */
  public static final Figure<Double> CPU_SECONDS_PER_1000 = new Figure<>("cpuSecondsPer1000", Double.class);
  /** W4: why the contender broke under the flood, when it did. */
  public static final Figure<String> FAILURE = new Figure<>("failure", String.class);
  /** W4: the largest heap seen during the flood, garbage included, in MiB. */
  public static final Figure<Double> PEAK_HEAP_MIB = new Figure<>("peakHeapMiB", Double.class);
  /** W4: the largest resident set seen during the flood, in MiB. */
  public static final Figure<Double> PEAK_RSS_MIB = new Figure<>("peakRssMiB", Double.class);
  /** W4: CPU seconds of this process during the flood. */
  public static final Figure<Double> CPU_SECONDS = new Figure<>("cpuSeconds", Double.class);
  /** W4: wall-clock seconds of the flood. */
  public static final Figure<Double> WALL_SECONDS = new Figure<>("wallSeconds", Double.class);
  /** W5: rows of the last timed pass. */
  public static final Figure<Long> ROWS = new Figure<>("rows", Long.class);
  /** W5: growth of the live heap during an untimed pass, in MiB. */
  public static final Figure<Double> HEAP_GROWTH_MIB = new Figure<>("heapGrowthMiB", Double.class);
  /** W6: statements the server was running when the cancels began. */
  public static final Figure<Integer> RUNNING_WHEN_CANCELLED = new Figure<>("runningWhenCancelled", Integer.class);
  /** W6: milliseconds the cancel calls took to return, all together. */
  public static final Figure<Double> CANCEL_CALLS_MS = new Figure<>("cancelCallsMs", Double.class);
  /** W6: whether statements were still running when the wait for them ended (the headline is then the cap). */
  public static final Figure<Boolean> REACHED_CAP = new Figure<>("reachedCap", Boolean.class);
  /** W6: statements still running on the server one second after the wait ended. */
  public static final Figure<Integer> STATEMENTS_LEFT_AFTER_1S = new Figure<>("statementsLeftAfter1s", Integer.class);
  /** W6: connections still checked out of the contender's pool one second after the wait ended. */
  public static final Figure<Integer> CONNECTIONS_LEAKED = new Figure<>("connectionsLeaked", Integer.class);

  /** W7: HTTP responses received in the measured runs, every status. */
  public static final Figure<Long> REQUESTS = new Figure<>("requests", Long.class);
  /** W7: requests that got no answer (connect, read or write errors, timeouts); they are counted in ERRORS too. */
  public static final Figure<Long> SOCKET_ERRORS = new Figure<>("socketErrors", Long.class);
  /** W7: answers refusing the request as the API says it may (409, 422: insufficient funds); not errors. */
  public static final Figure<Long> REFUSED = new Figure<>("refused", Long.class);
  /** W7: the responses by HTTP status, {@code 201:51234 422:3}. */
  public static final Figure<String> STATUSES = new Figure<>("statuses", String.class);
  /** A workload that could not run here, and why (W7 without wrk): the figure has no value, only this. */
  public static final Figure<String> SKIPPED = new Figure<>("skipped", String.class);

  private final String name;
  private final Class<T> type;

  private Figure(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /** The name the reports print. */
  public String name() {
    return name;
  }

  /** The type of the figure's value. */
  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}
