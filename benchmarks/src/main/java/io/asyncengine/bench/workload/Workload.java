package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Measurement;
import java.util.List;
import java.util.function.Supplier;

/** One of the comparison's workloads, W1–W7. */
public interface Workload {

  /** The id and name, e.g. {@code W1 seq100}. */
  String id();

  /** Whether it runs on {@code db} (W6 needs PostgreSQL's pg_stat_activity). */
  default boolean supports(BenchDatabase db) {
    return true;
  }

  /**
   * Runs every contender that supports {@code db} and returns their figures with ratios filled in.
   *
   * @param contenders fresh, unopened contenders, one per call of each supplier
   */
  List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception;
}
