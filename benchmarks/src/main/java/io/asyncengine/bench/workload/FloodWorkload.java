package io.asyncengine.bench.workload;

import com.sun.management.OperatingSystemMXBean;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.HeapSampler;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * W4 {@code flood}: 100,000 lookups submitted at once against a pool of 8. Reports heap bytes per
 * pending task: the largest live set seen (a full GC every 50 ms during the run, so garbage does
 * not count) minus the live set before, divided by the tasks; the early GCs see nearly all of them
 * pending, so this slightly understates nothing and overstates nothing but the in-flight few. Also
 * peak heap (garbage included) and RSS, CPU seconds (spinning shows up here; the sampling GCs add
 * the same to everyone), wall time and errors. Lower is better; ratio to the best.
 */
public final class FloodWorkload implements Workload {

  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Override
  public String id() {
    return "W4 flood";
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    List<Measurement> out = new ArrayList<>();
    int tasks = settings.w4Tasks();
    for (Supplier<Contender> factory : contenders) {
      try (Contender contender = factory.get()) {
        if (!contender.supports(db) || contender.name().equals("raw-jdbc")) {
          continue;
        }
        contender.open(db, settings.w4Pool());
        contender.concurrentLookups(Samples.ids(1_000, settings.users(), 5)); // warm-up
        progress.step(id() + " " + db + " N=" + tasks + ": " + contender.name());
        int[] ids = Samples.ids(tasks, settings.users(), 4);
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        int errors;
        String failure = null;
        HeapSampler sampler = HeapSampler.startWithLiveSet();
        try {
          errors = contender.concurrentLookups(ids);
        } catch (RuntimeException e) {
          // A contender that breaks under the flood (r2dbc's "Response queue is full" did once)
          // fails its own figure, not the whole comparison.
          errors = tasks;
          failure = e.toString();
          progress.step(id() + " " + db + ": " + contender.name() + " failed: " + failure);
        } finally {
          sampler.close();
        }
        Figures figures = failure == null ? Figures.none() : Figures.none().with(Figure.FAILURE, failure);
        figures = figures
            .with(Figure.PEAK_HEAP_MIB, sampler.peakHeap() / 1048576.0)
            .with(Figure.PEAK_RSS_MIB, sampler.peakRss() / 1048576.0)
            .with(Figure.CPU_SECONDS, (OS.getProcessCpuTime() - cpu) / 1e9)
            .with(Figure.WALL_SECONDS, (System.nanoTime() - start) / 1e9)
            .with(Figure.ERRORS, errors);
        out.add(Measurement.of(id(), db.toString(), tasks, contender.name(), (double) sampler.liveGrowth() / tasks,
            "live B/task", false, figures));
      }
    }
    return Ratios.against(out, null);
  }
}
