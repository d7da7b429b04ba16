package io.asyncengine.bench.workload;

import com.sun.management.OperatingSystemMXBean;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * W3 {@code scale}: N tasks submitted at once, each a short transaction (select by primary key,
 * update a counter), pool of 16. Throughput (median of the runs), p50/p99 latency from submission,
 * CPU seconds per 1,000 operations (this process), errors. The raw-jdbc contender is left out: it
 * has no concurrency to scale.
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
    List<Measurement> out = new ArrayList<>();
    for (Supplier<Contender> factory : contenders) {
      try (Contender contender = factory.get()) {
        if (!contender.supports(db) || contender.name().equals("raw-jdbc")) {
          continue;
        }
        contender.open(db, settings.w3Pool());
        for (int w = 0; w < settings.warmups(); w++) {
          contender.transactions(Samples.ids(1_000, settings.users(), 77 + w), new long[1_000]);
        }
        for (int n : settings.w3Sizes()) {
          progress.step(id() + " " + db + " N=" + n + ": " + contender.name());
          int runs = Math.max(1, n >= 10_000 ? settings.runs() / 2 : settings.runs());
          double[] throughput = new double[runs];
          long[][] latencies = new long[runs][];
          double[] cpuPer1000 = new double[runs];
          int errors = 0;
          for (int r = 0; r < runs; r++) {
            int[] ids = Samples.ids(n, settings.users(), 31L * n + r);
            latencies[r] = new long[n];
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            errors += contender.transactions(ids, latencies[r]);
            double seconds = (System.nanoTime() - start) / 1e9;
            cpuPer1000[r] = (OS.getProcessCpuTime() - cpu) / 1e9 / n * 1000;
            throughput[r] = n / seconds;
          }
          double median = Samples.median(throughput);
          int medianRun = closest(throughput, median);
          Map<String, Object> extra = new LinkedHashMap<>();
          extra.put("p50Ms", Samples.percentile(latencies[medianRun], 50) / 1e6);
          extra.put("p99Ms", Samples.percentile(latencies[medianRun], 99) / 1e6);
          extra.put("cpuSecondsPer1000", Samples.median(cpuPer1000));
          extra.put("errors", errors);
          extra.put("runs", runs);
          out.add(Measurement.of(id(), db.toString(), n, contender.name(), median, "ops/s", true, extra));
        }
      }
    }
    return Ratios.against(out, null);
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
