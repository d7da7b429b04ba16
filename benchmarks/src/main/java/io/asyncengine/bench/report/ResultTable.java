package io.asyncengine.bench.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the figures: one block per workload group, a line per contender. */
public final class ResultTable {

  private ResultTable() {}

  /** Prints every group of {@code measurements} to {@code out}. */
  public static void print(List<Measurement> measurements, PrintStream out) {
    String group = null;
    for (Measurement m : measurements) {
      if (!m.group().equals(group)) {
        group = m.group();
        out.printf(Locale.ROOT, "%n%s  (%s, ratio to %s)%n", group, m.higherIsBetter() ? "higher is better" : "lower is better",
            m.baseline());
      }
      out.printf(Locale.ROOT, "  %-14s %14s %-14s %6.2fx  %s%n", m.contender(), format(m.value()), m.unit(), m.ratio(),
          describe(m.figures().byName()));
    }
    out.flush();
  }

  private static String describe(Map<String, Object> figures) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Object> entry : figures.entrySet()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      Object value = entry.getValue();
      out.append(entry.getKey()).append('=').append(value instanceof Double d ? format(d) : value);
    }
    return out.toString();
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
