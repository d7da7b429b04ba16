package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.HeapSampler;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * W5 {@code stream}: every row of {@code stream_rows} through the contender's streaming API with a
 * slow consumer (a little CPU work per row), rows per second against raw-jdbc's ResultSet loop
 * (median of the timed passes, after a warm-up pass), and the growth of the live heap during a
 * further pass.
 *
 * <p>Contenders are interleaved: all are open at once, each streams one warm-up pass, then every
 * round times one pass of each, in an order rotated by one per round. This machine has phases of
 * seconds in which a database round trip costs 3-4x more; a single pass per contender, one after
 * another, would compare phases rather than contenders. The heap pass comes after the timed
 * rounds, once per contender: its live-set figure does not depend on the phase.
 */
public final class StreamWorkload implements Workload {

  private static volatile long sink;

  @Override
  public String id() {
    return "W5 stream";
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    try (Lineup lineup = Lineup.open(db, contenders, Contender::supportsStream, settings.w5Pool())) {
      for (Contender contender : lineup.all()) {
        progress.step(id() + " " + db + " rows=" + settings.w5Rows() + ": warm-up " + contender.name());
        contender.stream(StreamWorkload::slowConsumer);
      }
      Map<Contender, double[]> rowsPerSecond = new HashMap<>();
      Map<Contender, Long> rows = new HashMap<>();
      Map<Contender, Integer> errors = new HashMap<>();
      for (Contender contender : lineup.all()) {
        rowsPerSecond.put(contender, new double[settings.w5Rounds()]);
        errors.put(contender, 0);
      }
      for (int r = 0; r < settings.w5Rounds(); r++) {
        progress.step(id() + " " + db + " rows=" + settings.w5Rows() + ": round " + (r + 1) + "/" + settings.w5Rounds());
        for (Contender contender : lineup.round(r)) {
          long start = System.nanoTime();
          long streamed = contender.stream(StreamWorkload::slowConsumer);
          rowsPerSecond.get(contender)[r] = streamed / ((System.nanoTime() - start) / 1e9);
          rows.put(contender, streamed);
          errors.merge(contender, streamed == settings.w5Rows() ? 0 : 1, Integer::sum); // a pass that lost or added rows
        }
      }
      List<Measurement> out = new ArrayList<>();
      for (Contender contender : lineup.all()) {
        progress.step(id() + " " + db + " rows=" + settings.w5Rows() + ": heap " + contender.name());
        double heapGrowthMiB = liveGrowthMiB(contender);
        Figures figures = Figures.none()
            .with(Figure.ROWS, rows.get(contender))
            .with(Figure.HEAP_GROWTH_MIB, heapGrowthMiB)
            .with(Figure.ERRORS, errors.get(contender))
            .with(Figure.RUNS, settings.w5Rounds());
        out.add(Measurement.of(id(), db.toString(), settings.w5Rows(), contender.name(),
            Samples.median(rowsPerSecond.get(contender)), "rows/s", true, figures));
      }
      return Ratios.against(out, "raw-jdbc");
    }
  }

  /**
   * A further, untimed pass for memory: a full GC every 50 ms, so the figure is what the stream
   * holds (growth of the live set), not garbage waiting for a collection; it would slow a timed pass.
   */
  private static double liveGrowthMiB(Contender contender) throws Exception {
    HeapSampler sampler = HeapSampler.startWithLiveSet();
    try {
      contender.stream(StreamWorkload::slowConsumer);
    } finally {
      sampler.close();
    }
    return sampler.liveGrowth() / 1048576.0;
  }

  /** A consumer slower than the fetch: about a microsecond of work per row. */
  private static void slowConsumer(long id) {
    long x = id;
    for (int i = 0; i < 200; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    sink += x;
  }
}
