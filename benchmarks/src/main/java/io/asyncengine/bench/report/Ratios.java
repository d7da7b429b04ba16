package io.asyncengine.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills in ratios: against a named contender, or against the best of the group. */
public final class Ratios {

  private Ratios() {}

  /** Ratios within each group against {@code baseline}'s figure, or the best when it is absent. */
  public static List<Measurement> against(List<Measurement> measurements, String baseline) {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      groups.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
    }
    List<Measurement> out = new ArrayList<>();
    for (List<Measurement> group : groups.values()) {
      Measurement reference = null;
      for (Measurement m : group) {
        if (baseline != null && m.contender().equals(baseline)) {
          reference = m;
        }
      }
      String name = baseline;
      if (reference == null) {
        for (Measurement m : group) {
          if (reference == null || (m.higherIsBetter() ? m.value() > reference.value() : m.value() < reference.value())) {
            reference = m;
          }
        }
        name = "best (" + reference.contender() + ")";
      }
      for (Measurement m : group) {
        out.add(m.withRatio(reference.value(), name));
      }
    }
    return out;
  }
}
