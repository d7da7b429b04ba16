package io.asyncengine.bench.report;

/**
 * One figure of the comparison: a contender's result for a workload on a database, and its ratio
 * to the baseline measured in the same run.
 *
 * @param workload e.g. {@code W1 seq100}
 * @param database {@code sqlite} or {@code postgresql}
 * @param size the workload's N, or 0 when it has none
 * @param contender the contender's name
 * @param value the headline figure
 * @param unit its unit
 * @param ratio value relative to the baseline (1.0 = the baseline)
 * @param baseline what the ratio is against, e.g. {@code raw-jdbc} or {@code best (jdbc-client)}
 * @param higherIsBetter whether a bigger value wins (throughput) or a smaller one (time)
 * @param figures further figures (p99, errors, heap, ...), printed and written to JSON
 */
public record Measurement(
    String workload,
    String database,
    int size,
    String contender,
    double value,
    String unit,
    double ratio,
    String baseline,
    boolean higherIsBetter,
    Figures figures) {

  /** A measurement whose ratio is filled in later by {@link #withRatio}. */
  public static Measurement of(String workload, String database, int size, String contender, double value, String unit,
      boolean higherIsBetter, Figures figures) {
    return new Measurement(workload, database, size, contender, value, unit, Double.NaN, "", higherIsBetter, figures);
  }

  /** A copy with its ratio against {@code baselineValue}. */
  public Measurement withRatio(double baselineValue, String baselineName) {
    return new Measurement(workload, database, size, contender, value, unit,
        baselineValue == 0 ? Double.NaN : value / baselineValue, baselineName, higherIsBetter, figures);
  }

  /** The group this figure is compared within: workload, database and size. */
  public String group() {
    return workload + " " + database + (size > 0 ? " N=" + size : "");
  }
}
