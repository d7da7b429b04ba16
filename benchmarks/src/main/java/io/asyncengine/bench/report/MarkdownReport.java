package io.asyncengine.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run as Markdown: the machine, a table per workload group, and the target verdicts. */
public final class MarkdownReport {

  private MarkdownReport() {}

  /** Writes the report to {@code file}; {@code chart} is linked by file name. */
  public static void write(Path file, Map<String, Object> meta, List<Measurement> measurements, Path chart) throws IOException {
    StringBuilder out = new StringBuilder("# Comparison run ").append(meta.get("timestamp")).append("\n\n");
    out.append("Machine and settings:\n\n");
    for (Map.Entry<String, Object> entry : meta.entrySet()) {
      out.append("- ").append(entry.getKey()).append(": ").append(entry.getValue()).append('\n');
    }
    out.append("\n![ratios](").append(chart.getFileName()).append(")\n\n## Targets\n\n");
    for (String verdict : TargetCheck.verdicts(measurements)) {
      out.append("- ").append(verdict).append('\n');
    }
    out.append("\n## Figures\n");
    String group = null;
    for (Measurement m : measurements) {
      if (!m.group().equals(group)) {
        group = m.group();
        out.append("\n### ").append(group).append(" (").append(m.higherIsBetter() ? "higher" : "lower")
            .append(" is better; ratio to ").append(m.baseline()).append(")\n\n")
            .append("| contender | ").append(m.unit()).append(" | ratio | details |\n|---|---:|---:|---|\n");
      }
      out.append("| ").append(m.contender()).append(" | ").append(ResultTable.format(m.value())).append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", m.ratio())).append(" | ").append(details(m.figures().byName())).append(" |\n");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
  }

  private static String details(Map<String, Object> figures) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Object> entry : figures.entrySet()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      Object value = entry.getValue();
      out.append(entry.getKey()).append(' ').append(value instanceof Double d ? ResultTable.format(d) : value);
    }
    return out.toString();
  }
}
