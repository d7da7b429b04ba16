package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * W1 {@code seq100} (100 sequential primary-key lookups in one session, ratio to raw-jdbc) and W2
 * {@code conc10} (10 concurrent lookups, each in its own session, ratio to the best): the seed's
 * two workloads. Median wall time of the measured runs, after warm-up. raw-jdbc sits out W2: it has
 * one connection and no concurrency, so it has no sessions to open.
 */
public final class LatencyWorkload implements Workload {

  private final boolean concurrent;

  private LatencyWorkload(boolean concurrent) {
    this.concurrent = concurrent;
  }

  /** W1. */
  public static LatencyWorkload sequential() {
    return new LatencyWorkload(false);
  }

  /** W2. */
  public static LatencyWorkload concurrent() {
    return new LatencyWorkload(true);
  }

  @Override
  public String id() {
    return concurrent ? "W2 conc10" : "W1 seq100";
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    int count = concurrent ? settings.w2Tasks() : settings.w1Lookups();
    List<Measurement> out = new ArrayList<>();
    for (Supplier<Contender> factory : contenders) {
      try (Contender contender = factory.get()) {
        if (!contender.supports(db) || (concurrent && contender.name().equals("raw-jdbc"))) {
          continue;
        }
        contender.open(db, settings.w2Pool());
        progress.step(id() + " " + db + ": " + contender.name());
        // Warm-up is time, not a count: the JIT must have compiled this contender's paths before
        // it is measured, or whoever runs first pays for compiling code the others share.
        long warmUntil = System.nanoTime() + settings.warmups() * 1_000_000_000L;
        for (int w = 0; System.nanoTime() < warmUntil; w++) {
          once(contender, Samples.ids(count, settings.users(), 1000 + w));
        }
        double[] millis = new double[settings.runs()];
        int errors = 0;
        for (int r = 0; r < millis.length; r++) {
          int[] ids = Samples.ids(count, settings.users(), r);
          long start = System.nanoTime();
          errors += once(contender, ids);
          millis[r] = (System.nanoTime() - start) / 1e6;
        }
        out.add(Measurement.of(id(), db.toString(), 0, contender.name(), Samples.median(millis), "ms", false,
            Map.of("runs", millis.length, "errors", errors)));
      }
    }
    return Ratios.against(out, concurrent ? null : "raw-jdbc");
  }

  private int once(Contender contender, int[] ids) throws Exception {
    if (concurrent) {
      return contender.concurrentLookups(ids);
    }
    contender.sequentialLookups(ids);
    return 0;
  }
}
