package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * W1 {@code seq100} (100 sequential primary-key lookups in one session, ratio to raw-jdbc) and W2
 * {@code conc10} (10 concurrent lookups, each in its own session, ratio to the best). Median wall
 * time of the measured runs, after warm-up. raw-jdbc sits out W2: it has one connection and no
 * concurrency, so it has no sessions to open.
 *
 * <p>Contenders are interleaved: all are open at once, each is warmed up, then every round measures
 * one run of each, in an order rotated by one per round. This machine has phases of seconds in
 * which a database round trip costs 3-4x more; measured one after another, a contender's median
 * would say which phase it fell into, not how fast it is. Interleaved, all are sampled across the
 * same phases, and no contender always runs first (after another's warm-up or garbage).
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
    // All open at once: raw-jdbc's one connection and at most 9 contenders x latencyPool (10), within PostgreSQL's 100.
    try (Lineup lineup = Lineup.open(db, contenders, c -> !concurrent || !c.name().equals("raw-jdbc"), settings.latencyPool())) {
      for (Contender contender : lineup.all()) {
        progress.step(id() + " " + db + ": warm-up " + contender.name());
        warmUp(contender, count, settings);
      }
      Map<Contender, double[]> millis = new HashMap<>();
      Map<Contender, Integer> errors = new HashMap<>();
      for (Contender contender : lineup.all()) {
        millis.put(contender, new double[settings.latencyRounds()]);
        errors.put(contender, 0);
      }
      for (int r = 0; r < settings.latencyRounds(); r++) {
        if (r % 20 == 0) {
          progress.step(id() + " " + db + ": round " + (r + 1) + "/" + settings.latencyRounds());
        }
        int[] ids = Samples.ids(count, settings.users(), r);
        for (Contender contender : lineup.round(r)) {
          long start = System.nanoTime();
          int failed = once(contender, ids);
          millis.get(contender)[r] = (System.nanoTime() - start) / 1e6;
          errors.merge(contender, failed, Integer::sum);
        }
      }
      List<Measurement> out = new ArrayList<>();
      for (Contender contender : lineup.all()) {
        double[] runs = millis.get(contender);
        out.add(Measurement.of(id(), db.toString(), 0, contender.name(), Samples.median(runs), "ms", false,
            Figures.none().with(Figure.RUNS, runs.length).with(Figure.ERRORS, errors.get(contender))));
      }
      return Ratios.against(out, concurrent ? null : "raw-jdbc");
    }
  }

  /**
   * Warm-up is time, not a count: the JIT must have compiled this contender's paths before it is
   * measured, or whoever runs first pays for compiling code the others share.
   */
  private void warmUp(Contender contender, int count, Settings settings) throws Exception {
    long warmUntil = System.nanoTime() + settings.latencyWarmupSeconds() * 1_000_000_000L;
    for (int w = 0; System.nanoTime() < warmUntil; w++) {
      once(contender, Samples.ids(count, settings.users(), 1000 + w));
    }
  }

  private int once(Contender contender, int[] ids) throws Exception {
    if (concurrent) {
      return contender.concurrentLookups(ids);
    }
    contender.sequentialLookups(ids);
    return 0;
  }
}
