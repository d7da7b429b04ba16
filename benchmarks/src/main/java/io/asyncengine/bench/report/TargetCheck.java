package io.asyncengine.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The targets for async-engine (its default settings), checked against one run's figures and
 * against the other projects only (its forced executor-mode variants are not rivals). Each group
 * gets a verdict line, {@code MET - ...} or {@code MISSED - ...}, with the numbers that decided it:
 *
 * <ul>
 *   <li>W1: at most 1.10 times raw-jdbc's time;
 *   <li>W2: the fastest, no errors;
 *   <li>W3: the highest throughput and the lowest p99, no errors;
 *   <li>W4: at most 2 KiB of heap per pending task, no errors;
 *   <li>W5: at least 0.9 times raw-jdbc's rows per second, heap growth at most 64 MiB;
 *   <li>W6: the server runs none of the statements within 1 s, no connection leaked;
 *   <li>W7 (the sample app, so the starter's defaults: {@code async-engine/boot}): requests/s at
 *       least jdbc-client's, p99 at most jdbc-client's, no errors, on each endpoint.
 * </ul>
 *
 * <p>A figure a target needs that was not measured (a workload that did not report it, a baseline
 * that did not run) misses the target with {@code MISSED - figure <name> not measured (...)}: an
 * absent figure never reads as zero.
 */
public final class TargetCheck {

  private static final String ENGINE = "async-engine";
  private static final String RAW_JDBC = "raw-jdbc";
  private static final String JDBC_CLIENT = "jdbc-client";
  /** W7 measures applications: the sample app runs the engine as the starter configures it. */
  private static final String ENGINE_APP = "async-engine/boot";

  private TargetCheck() {}

  /** One verdict per group in which async-engine ran, prefixed with the group's name. */
  public static List<String> verdicts(List<Measurement> measurements) {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      groups.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Measurement>> entry : groups.entrySet()) {
      String engineName = entry.getKey().startsWith("W7") ? ENGINE_APP : ENGINE;
      Measurement engine = entry.getValue().stream().filter(m -> m.contender().equals(engineName)).findFirst().orElse(null);
      if (engine != null) {
        out.add(entry.getKey() + ": " + verdict(engine, entry.getValue()));
      }
    }
    return out;
  }

  private static String verdict(Measurement engine, List<Measurement> group) {
    List<Measurement> rivals = group.stream().filter(m -> !m.contender().startsWith(ENGINE)).toList();
    String workload = engine.workload();
    try {
      if (workload.startsWith("W1")) {
        return sequential(engine);
      }
      if (workload.startsWith("W2")) {
        return concurrent(engine, rivals);
      }
      if (workload.startsWith("W3")) {
        return scale(engine, rivals);
      }
      if (workload.startsWith("W4")) {
        return flood(engine);
      }
      if (workload.startsWith("W5")) {
        return stream(engine);
      }
      if (workload.startsWith("W6")) {
        return cancel(engine);
      }
      if (workload.startsWith("W7")) {
        return http(engine, rivals);
      }
      return "no target";
    } catch (NotMeasured missing) {
      return "MISSED - " + missing.getMessage();
    }
  }

  private static String sequential(Measurement engine) {
    double ratio = ratioToRawJdbc(engine);
    return met(ratio <= 1.10, format("%.2fx raw-jdbc (target <= 1.10x)", ratio));
  }

  private static String concurrent(Measurement engine, List<Measurement> rivals) {
    int errors = require(engine, Figure.ERRORS);
    double best = rivals.stream().mapToDouble(Measurement::value).min().orElse(Double.NaN);
    return met(engine.value() <= best && errors == 0,
        format("%.3f ms vs best other %.3f ms, errors %d (target: fastest, no errors)", engine.value(), best, errors));
  }

  private static String scale(Measurement engine, List<Measurement> rivals) {
    int errors = require(engine, Figure.ERRORS);
    double p99 = require(engine, Figure.P99_MS);
    double bestOther = rivals.stream().mapToDouble(Measurement::value).max().orElse(0);
    double bestP99 = Double.MAX_VALUE;
    for (Measurement rival : rivals) {
      bestP99 = Math.min(bestP99, require(rival, Figure.P99_MS));
    }
    return met(engine.value() >= bestOther && p99 <= bestP99 && errors == 0, format(
        "%,.0f ops/s vs best other %,.0f; p99 %.1f ms vs best other %.1f ms; errors %d (target: highest throughput, lowest p99, no errors)",
        engine.value(), bestOther, p99, bestP99, errors));
  }

  private static String flood(Measurement engine) {
    int errors = require(engine, Figure.ERRORS);
    return met(engine.value() <= 2048 && errors == 0,
        format("%,.0f heap bytes per pending task, errors %d (target <= 2 KiB)", engine.value(), errors));
  }

  private static String stream(Measurement engine) {
    double ratio = ratioToRawJdbc(engine);
    double growth = require(engine, Figure.HEAP_GROWTH_MIB);
    return met(ratio >= 0.9 && growth <= 64,
        format("%.2fx raw rows/s, heap growth %.1f MiB (target >= 0.9x, <= 64 MiB)", ratio, growth));
  }

  private static String cancel(Measurement engine) {
    int leaked = require(engine, Figure.CONNECTIONS_LEAKED);
    return met(engine.value() <= 1000 && leaked == 0,
        format("%.0f ms until the server showed none, %d connections leaked (target <= 1000 ms, 0)", engine.value(), leaked));
  }

  private static String http(Measurement engine, List<Measurement> rivals) {
    Optional<String> skipped = engine.figures().get(Figure.SKIPPED);
    if (skipped.isPresent()) {
      return "NOT MEASURED - " + skipped.get();
    }
    int errors = require(engine, Figure.ERRORS);
    double p99 = require(engine, Figure.P99_MS);
    Measurement jdbcClient = rivals.stream().filter(m -> m.contender().equals(JDBC_CLIENT)).findFirst()
        .orElseThrow(() -> new NotMeasured("figure " + JDBC_CLIENT + " not measured"));
    double rivalP99 = require(jdbcClient, Figure.P99_MS);
    return met(engine.value() >= jdbcClient.value() && p99 <= rivalP99 && errors == 0, format(
        "%,.0f req/s vs jdbc-client %,.0f (%.2fx); p99 %.1f ms vs %.1f ms; errors %d (target: req/s >= jdbc-client, p99 <= it, no errors)",
        engine.value(), jdbcClient.value(), engine.value() / jdbcClient.value(), p99, rivalP99, errors));
  }

  /** {@code m}'s value of {@code figure}; the target is missed when it was not measured. */
  private static <T> T require(Measurement m, Figure<T> figure) {
    return m.figures().get(figure)
        .orElseThrow(() -> new NotMeasured("figure " + figure.name() + " not measured (" + m.contender() + ")"));
  }

  /** The ratio to raw-jdbc; the target is missed when raw-jdbc did not run and the ratio is to another baseline. */
  private static double ratioToRawJdbc(Measurement engine) {
    if (!engine.baseline().equals(RAW_JDBC)) {
      String against = engine.baseline().isEmpty() ? "none" : engine.baseline();
      throw new NotMeasured("figure " + RAW_JDBC + " not measured (the ratio is to " + against + ")");
    }
    return engine.ratio();
  }

  private static String met(boolean met, String detail) {
    return (met ? "MET - " : "MISSED - ") + detail;
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** A figure a target needs was not measured; its message is the verdict's detail. */
  private static final class NotMeasured extends RuntimeException {
    NotMeasured(String message) {
      super(message, null, false, false);
    }
  }
}
