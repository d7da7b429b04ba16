package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.HeapSampler;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * W5 {@code stream}: every row of {@code stream_rows} through the contender's streaming API with a
 * slow consumer (a little CPU work per row), rows per second against raw-jdbc's ResultSet loop
 * (after a warm-up pass), and the growth of the live heap during a further pass.
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
    List<Measurement> out = new ArrayList<>();
    for (Supplier<Contender> factory : contenders) {
      try (Contender contender = factory.get()) {
        if (!contender.supports(db) || !contender.supportsStream()) {
          continue;
        }
        contender.open(db, settings.w2Pool());
        progress.step(id() + " " + db + " rows=" + settings.w5Rows() + ": " + contender.name());
        contender.stream(StreamWorkload::slowConsumer); // warm-up
        long start = System.nanoTime();
        long rows = contender.stream(StreamWorkload::slowConsumer);
        double seconds = (System.nanoTime() - start) / 1e9;
        // A second pass for memory: a full GC every 50 ms, so the figure is what the stream holds
        // (growth of the live set), not garbage waiting for a collection; it would slow the timed pass.
        HeapSampler sampler = HeapSampler.startWithLiveSet();
        try {
          contender.stream(StreamWorkload::slowConsumer);
        } finally {
          sampler.close();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rows", rows);
        extra.put("heapGrowthMiB", sampler.liveGrowth() / 1048576.0);
        extra.put("errors", rows == settings.w5Rows() ? 0 : 1);
        out.add(Measurement.of(id(), db.toString(), settings.w5Rows(), contender.name(), rows / seconds, "rows/s", true, extra));
      }
    }
    return Ratios.against(out, "raw-jdbc");
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
