package io.asyncengine.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a run as JSON: the machine, the settings and every measurement. No library needed for this shape. */
public final class JsonReport {

  private JsonReport() {}

  /** Writes {@code measurements} with {@code meta} (machine, mode, ...) to {@code file}. */
  public static void write(Path file, Map<String, Object> meta, List<Measurement> measurements) throws IOException {
    StringBuilder out = new StringBuilder("{\n  \"meta\": ");
    object(out, meta);
    out.append(",\n  \"measurements\": [\n");
    for (int i = 0; i < measurements.size(); i++) {
      Measurement m = measurements.get(i);
      out.append("    {\"workload\": ").append(string(m.workload()))
          .append(", \"database\": ").append(string(m.database()))
          .append(", \"size\": ").append(m.size())
          .append(", \"contender\": ").append(string(m.contender()))
          .append(", \"value\": ").append(number(m.value()))
          .append(", \"unit\": ").append(string(m.unit()))
          .append(", \"ratio\": ").append(number(m.ratio()))
          .append(", \"baseline\": ").append(string(m.baseline()))
          .append(", \"higherIsBetter\": ").append(m.higherIsBetter())
          .append(", \"extra\": ");
      object(out, m.figures().byName());
      out.append(i + 1 < measurements.size() ? "},\n" : "}\n");
    }
    out.append("  ]\n}\n");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
  }

  private static void object(StringBuilder out, Map<String, Object> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      out.append(string(entry.getKey())).append(": ").append(value(entry.getValue()));
    }
    out.append('}');
  }

  private static String value(Object value) {
    if (value instanceof Number n) {
      return number(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    return string(String.valueOf(value));
  }

  private static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
