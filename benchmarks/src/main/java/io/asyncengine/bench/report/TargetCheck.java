package io.asyncengine.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * benchmarks.md's targets for async-engine (its default settings), checked against one run's figures,
 * against the other projects only (its forced executor-mode variants are not rivals); each group gets a
 * verdict line saying met or missed, with the numbers that decided it.
 */
public final class TargetCheck {

  private static final String ENGINE = "async-engine";

  private TargetCheck() {}

  /** One verdict per group in which async-engine ran. */
  public static List<String> verdicts(List<Measurement> measurements) {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      groups.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Measurement>> entry : groups.entrySet()) {
      Measurement engine = entry.getValue().stream().filter(m -> m.contender().equals(ENGINE)).findFirst().orElse(null);
      if (engine != null) {
        out.add(entry.getKey() + ": " + verdict(engine, entry.getValue()));
      }
    }
    return out;
  }

  private static String verdict(Measurement engine, List<Measurement> group) {
    String workload = engine.workload();
    long errors = number(engine, "errors").longValue();
    if (workload.startsWith("W1")) {
      return met(engine.ratio() <= 1.10, String.format(Locale.ROOT, "%.2fx raw-jdbc (target <= 1.10x)", engine.ratio()));
    }
    if (workload.startsWith("W2")) {
      double best = group.stream().filter(m -> !m.contender().startsWith(ENGINE)).mapToDouble(Measurement::value).min().orElse(Double.NaN);
      return met(engine.value() <= best && errors == 0,
          String.format(Locale.ROOT, "%.3f ms vs best other %.3f ms, errors %d (target: fastest, no errors)", engine.value(), best, errors));
    }
    if (workload.startsWith("W3")) {
      double bestOther = group.stream().filter(m -> !m.contender().startsWith(ENGINE)).mapToDouble(Measurement::value).max().orElse(0);
      double p99 = number(engine, "p99Ms").doubleValue();
      double bestP99 = group.stream().filter(m -> !m.contender().startsWith(ENGINE)).mapToDouble(m -> number(m, "p99Ms").doubleValue()).min().orElse(Double.MAX_VALUE);
      return met(engine.value() >= bestOther && p99 <= bestP99 && errors == 0, String.format(Locale.ROOT,
          "%,.0f ops/s vs best other %,.0f; p99 %.1f ms vs best other %.1f ms; errors %d (target: highest throughput, lowest p99, no errors)",
          engine.value(), bestOther, p99, bestP99, errors));
    }
    if (workload.startsWith("W4")) {
      return met(engine.value() <= 2048 && errors == 0, String.format(Locale.ROOT,
          "%,.0f heap bytes per pending task, errors %d (target <= 2 KiB)", engine.value(), errors));
    }
    if (workload.startsWith("W5")) {
      double growth = number(engine, "heapGrowthMiB").doubleValue();
      return met(engine.ratio() >= 0.9 && growth <= 64, String.format(Locale.ROOT,
          "%.2fx raw rows/s, heap growth %.1f MiB (target >= 0.9x, <= 64 MiB)", engine.ratio(), growth));
    }
    if (workload.startsWith("W6")) {
      long leaked = number(engine, "connectionsLeaked").longValue();
      return met(engine.value() <= 1000 && leaked == 0, String.format(Locale.ROOT,
          "%.0f ms until the server showed none, %d connections leaked (target <= 1000 ms, 0)", engine.value(), leaked));
    }
    return "no target";
  }

  private static Number number(Measurement m, String key) {
    Object value = m.extra().get(key);
    return value instanceof Number n ? n : 0;
  }

  private static String met(boolean met, String detail) {
    return (met ? "MET - " : "MISSED - ") + detail;
  }
}
