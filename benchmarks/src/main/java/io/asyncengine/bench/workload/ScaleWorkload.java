package io.asyncengine.bench.workload;

import com.sun.management.OperatingSystemMXBean;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * W3 {@code scale}: N tasks submitted at once, each a short transaction (select by primary key,
 * update a counter), pool of 16. Throughput (median of the runs), p50/p99 latency from submission,
 * CPU seconds per 1,000 operations (this process), errors. The raw-jdbc contender is left out: it
 * has no concurrency to scale.
 *
 * <p>Contenders are interleaved: for each N, every round measures one run of each contender, in an
 * order rotated by one per round. This machine has phases of seconds in which a database round trip
 * costs 3-4x more; measured one after another, contenders would be compared across phases. Unlike
 * W1/W2 they cannot all be open at once (up to 8 pools of 16 exceed PostgreSQL's 100 connections),
 * so each run opens its contender, warms it up (the full warm-up the first time, then one batch of
 * up to 1,000 transactions for the fresh pool) and closes it again.
 */
public final class ScaleWorkload implements Workload {

  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Override
  public String id() {
    return "W3 scale";
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    List<Supplier<Contender>> taking = takingPart(db, contenders);
    Set<Supplier<Contender>> warm = new HashSet<>();
    List<Measurement> out = new ArrayList<>();
    for (int n : settings.w3Sizes()) {
      int runs = Math.max(1, n >= 10_000 ? settings.w3Runs() / 2 : settings.w3Runs());
      Map<Supplier<Contender>, Series> series = new LinkedHashMap<>();
      taking.forEach(factory -> series.put(factory, new Series(runs)));
      for (int r = 0; r < runs; r++) {
        progress.step(id() + " " + db + " N=" + n + ": round " + (r + 1) + "/" + runs);
        int[] ids = Samples.ids(n, settings.users(), 31L * n + r);
        for (Supplier<Contender> factory : Lineup.rotated(taking, r)) {
          series.get(factory).measure(factory, db, settings, ids, r, warm.add(factory));
        }
      }
      series.values().forEach(s -> out.add(s.figure(id(), db, n)));
    }
    return Ratios.against(out, null);
  }

  /** The factories whose contender supports {@code db} and has concurrency to scale. */
  private static List<Supplier<Contender>> takingPart(BenchDatabase db, List<Supplier<Contender>> contenders)
      throws Exception {
    List<Supplier<Contender>> taking = new ArrayList<>();
    for (Supplier<Contender> factory : contenders) {
      try (Contender contender = factory.get()) {
        if (contender.supports(db) && !contender.name().equals("raw-jdbc")) {
          taking.add(factory);
        }
      }
    }
    return taking;
  }

  /** One contender's runs at one N. */
  private static final class Series {

    private final double[] throughput;
    private final long[][] latencies;
    private final double[] cpuPer1000;
    private String name;
    private int errors;

    Series(int runs) {
      throughput = new double[runs];
      latencies = new long[runs][];
      cpuPer1000 = new double[runs];
    }

    /**
     * Run {@code r}: a fresh contender (so that only one pool of w3Pool connections is open at a
     * time), warmed up, then measured on {@code ids}. The {@code first} time the JIT warm-up
     * (settings.w3Warmups() batches of 1,000); after that, one batch of up to 1,000 for the new pool.
     */
    void measure(Supplier<Contender> factory, BenchDatabase db, Settings settings, int[] ids, int r, boolean first)
        throws Exception {
      int n = ids.length;
      try (Contender contender = factory.get()) {
        name = contender.name();
        contender.open(db, settings.w3Pool());
        int warmups = first ? settings.w3Warmups() : 1;
        int warmSize = first ? 1_000 : Math.min(n, 1_000);
        for (int w = 0; w < warmups; w++) {
          contender.transactions(Samples.ids(warmSize, settings.users(), 77 + w), new long[warmSize]);
        }
        latencies[r] = new long[n];
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        errors += contender.transactions(ids, latencies[r]);
        double seconds = (System.nanoTime() - start) / 1e9;
        cpuPer1000[r] = (OS.getProcessCpuTime() - cpu) / 1e9 / n * 1000;
        throughput[r] = n / seconds;
      }
    }

    /** Median throughput; p50/p99 from the run closest to it. */
    Measurement figure(String id, BenchDatabase db, int n) {
      double median = Samples.median(throughput);
      int medianRun = closest(throughput, median);
      Figures figures = Figures.none()
          .with(Figure.P50_MS, Samples.percentile(latencies[medianRun], 50) / 1e6)
          .with(Figure.P99_MS, Samples.percentile(latencies[medianRun], 99) / 1e6)
          .with(Figure.CPU_SECONDS_PER_1000, Samples.median(cpuPer1000))
          .with(Figure.ERRORS, errors)
          .with(Figure.RUNS, throughput.length);
      return Measurement.of(id, db.toString(), n, name, median, "ops/s", true, figures);
    }
  }

  private static int closest(double[] values, double target) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - target) < Math.abs(values[best] - target)) {
        best = i;
      }
    }
    return best;
  }
}
