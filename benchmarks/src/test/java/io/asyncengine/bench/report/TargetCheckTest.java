package io.asyncengine.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The targets' verdicts on hand-made figures: no database. A figure a target needs must be measured. */
class TargetCheckTest {

  private static final Figures NO_ERRORS = Figures.none().with(Figure.ERRORS, 0);

  @Test
  void w1IsMetWithinTenPercentOfRawJdbc() {
    List<Measurement> group = Ratios.against(List.of(
        latency("W1 seq100", "raw-jdbc", 1.00, NO_ERRORS),
        latency("W1 seq100", "async-engine", 1.05, NO_ERRORS)), "raw-jdbc");

    assertThat(TargetCheck.verdicts(group)).containsExactly("W1 seq100 sqlite: MET - 1.05x raw-jdbc (target <= 1.10x)");
  }

  @Test
  void w1WithoutRawJdbcIsMissedInsteadOfJudgedAgainstTheBest() {
    List<Measurement> group = Ratios.against(List.of(
        latency("W1 seq100", "jdbc-client", 2.00, NO_ERRORS),
        latency("W1 seq100", "async-engine", 1.00, NO_ERRORS)), "raw-jdbc");

    assertThat(TargetCheck.verdicts(group)).containsExactly(
        "W1 seq100 sqlite: MISSED - figure raw-jdbc not measured (the ratio is to best (async-engine))");
  }

  @Test
  void w2WithoutAnErrorCountIsMissedEvenWhenFastest() {
    List<Measurement> group = Ratios.against(List.of(
        latency("W2 conc10", "jdbc-client", 0.200, NO_ERRORS),
        latency("W2 conc10", "async-engine", 0.100, Figures.none().with(Figure.RUNS, 5))), null);

    assertThat(TargetCheck.verdicts(group)).containsExactly(
        "W2 conc10 sqlite: MISSED - figure errors not measured (async-engine)");
  }

  @Test
  void w2IsMetWhenFastestWithNoErrorsAndMissedWithErrors() {
    List<Measurement> clean = Ratios.against(List.of(
        latency("W2 conc10", "jdbc-client", 0.200, NO_ERRORS),
        latency("W2 conc10", "async-engine", 0.100, NO_ERRORS)), null);
    List<Measurement> failing = Ratios.against(List.of(
        latency("W2 conc10", "jdbc-client", 0.200, NO_ERRORS),
        latency("W2 conc10", "async-engine", 0.100, Figures.none().with(Figure.ERRORS, 3))), null);

    assertThat(TargetCheck.verdicts(clean)).singleElement().asString().startsWith("W2 conc10 sqlite: MET - 0.100 ms");
    assertThat(TargetCheck.verdicts(failing)).singleElement().asString()
        .startsWith("W2 conc10 sqlite: MISSED - 0.100 ms").contains("errors 3");
  }

  @Test
  void w3NeedsTheEnginesAndEveryRivalsP99() {
    Figures engineFigures = NO_ERRORS.with(Figure.P99_MS, 5.0);
    List<Measurement> rivalWithoutP99 = Ratios.against(List.of(
        scale("vertx-pg", 900, NO_ERRORS),
        scale("async-engine", 1_000, engineFigures)), null);
    List<Measurement> engineWithoutP99 = Ratios.against(List.of(
        scale("vertx-pg", 900, NO_ERRORS.with(Figure.P99_MS, 9.0)),
        scale("async-engine", 1_000, NO_ERRORS)), null);
    List<Measurement> complete = Ratios.against(List.of(
        scale("vertx-pg", 900, NO_ERRORS.with(Figure.P99_MS, 9.0)),
        scale("async-engine", 1_000, engineFigures)), null);

    assertThat(TargetCheck.verdicts(rivalWithoutP99)).containsExactly(
        "W3 scale postgresql N=100: MISSED - figure p99Ms not measured (vertx-pg)");
    assertThat(TargetCheck.verdicts(engineWithoutP99)).containsExactly(
        "W3 scale postgresql N=100: MISSED - figure p99Ms not measured (async-engine)");
    assertThat(TargetCheck.verdicts(complete)).singleElement().asString().startsWith("W3 scale postgresql N=100: MET - ");
  }

  @Test
  void w3WithoutAnErrorCountIsMissed() {
    List<Measurement> group = Ratios.against(List.of(
        scale("vertx-pg", 900, NO_ERRORS.with(Figure.P99_MS, 9.0)),
        scale("async-engine", 1_000, Figures.none().with(Figure.P99_MS, 5.0))), null);

    assertThat(TargetCheck.verdicts(group)).containsExactly(
        "W3 scale postgresql N=100: MISSED - figure errors not measured (async-engine)");
  }

  @Test
  void w4WithoutAnErrorCountIsMissed() {
    List<Measurement> group = Ratios.against(List.of(
        Measurement.of("W4 flood", "sqlite", 10_000, "async-engine", 300, "live B/task", false,
            Figures.none().with(Figure.PEAK_HEAP_MIB, 50.0))), null);

    assertThat(TargetCheck.verdicts(group)).containsExactly(
        "W4 flood sqlite N=10000: MISSED - figure errors not measured (async-engine)");
  }

  @Test
  void w5NeedsTheHeapGrowthAndRawJdbc() {
    List<Measurement> withoutGrowth = Ratios.against(List.of(
        stream("raw-jdbc", 1_000_000, NO_ERRORS),
        stream("async-engine", 950_000, NO_ERRORS)), "raw-jdbc");
    List<Measurement> complete = Ratios.against(List.of(
        stream("raw-jdbc", 1_000_000, NO_ERRORS),
        stream("async-engine", 950_000, NO_ERRORS.with(Figure.HEAP_GROWTH_MIB, 1.5))), "raw-jdbc");

    assertThat(TargetCheck.verdicts(withoutGrowth)).containsExactly(
        "W5 stream sqlite N=100000: MISSED - figure heapGrowthMiB not measured (async-engine)");
    assertThat(TargetCheck.verdicts(complete)).containsExactly(
        "W5 stream sqlite N=100000: MET - 0.95x raw rows/s, heap growth 1.5 MiB (target >= 0.9x, <= 64 MiB)");
  }

  @Test
  void w6WithoutALeakCountIsMissedAndWithNoLeakIsMet() {
    Measurement withoutLeaks = cancel(Figures.none().with(Figure.ERRORS, 0));
    Measurement noLeak = cancel(Figures.none().with(Figure.CONNECTIONS_LEAKED, 0).with(Figure.ERRORS, 0));

    assertThat(TargetCheck.verdicts(List.of(withoutLeaks))).containsExactly(
        "W6 cancel postgresql N=100: MISSED - figure connectionsLeaked not measured (async-engine)");
    assertThat(TargetCheck.verdicts(List.of(noLeak))).containsExactly(
        "W6 cancel postgresql N=100: MET - 73 ms until the server showed none, 0 connections leaked (target <= 1000 ms, 0)");
  }

  @Test
  void onlyGroupsWhereTheDefaultEngineRanGetAVerdict() {
    List<Measurement> group = Ratios.against(List.of(
        latency("W2 conc10", "jdbc-client", 0.200, NO_ERRORS),
        latency("W2 conc10", "async-engine/virtual", 0.100, NO_ERRORS)), null);

    assertThat(TargetCheck.verdicts(group)).isEmpty();
  }

  @Test
  void w7JudgesTheSampleAppAgainstJdbcClientAndSaysWhenItWasSkipped() {
    Figures rival = NO_ERRORS.with(Figure.P99_MS, 40.0);
    List<Measurement> met = Ratios.against(List.of(
        http("async-engine/boot", 1_100, NO_ERRORS.with(Figure.P99_MS, 30.0)),
        http("jdbc-client", 1_000, rival),
        http("spring-data-jdbc", 2_000, NO_ERRORS.with(Figure.P99_MS, 10.0))), "jdbc-client");
    List<Measurement> failing = Ratios.against(List.of(
        http("async-engine/boot", 1_100, Figures.none().with(Figure.ERRORS, 2).with(Figure.P99_MS, 30.0)),
        http("jdbc-client", 1_000, rival)), "jdbc-client");
    List<Measurement> skipped = Ratios.against(List.of(
        http("async-engine/boot", Double.NaN, Figures.none().with(Figure.SKIPPED, "skipped: wrk missing (no apt-get)")),
        http("jdbc-client", Double.NaN, Figures.none().with(Figure.SKIPPED, "skipped: wrk missing (no apt-get)"))),
        "jdbc-client");

    assertThat(TargetCheck.verdicts(met)).containsExactly("W7 GET /api/users/{id} sqlite: MET - 1,100 req/s vs jdbc-client 1,000"
        + " (1.10x); p99 30.0 ms vs 40.0 ms; errors 0 (target: req/s >= jdbc-client, p99 <= it, no errors)");
    assertThat(TargetCheck.verdicts(failing)).singleElement().asString().contains("MISSED").contains("errors 2");
    assertThat(TargetCheck.verdicts(skipped)).containsExactly(
        "W7 GET /api/users/{id} sqlite: NOT MEASURED - skipped: wrk missing (no apt-get)");
  }

  private static Measurement http(String contender, double requestsPerSecond, Figures figures) {
    return Measurement.of("W7 GET /api/users/{id}", "sqlite", 0, contender, requestsPerSecond, "req/s", true, figures);
  }

  private static Measurement latency(String workload, String contender, double millis, Figures figures) {
    return Measurement.of(workload, "sqlite", 0, contender, millis, "ms", false, figures);
  }

  private static Measurement scale(String contender, double opsPerSecond, Figures figures) {
    return Measurement.of("W3 scale", "postgresql", 100, contender, opsPerSecond, "ops/s", true, figures);
  }

  private static Measurement stream(String contender, double rowsPerSecond, Figures figures) {
    return Measurement.of("W5 stream", "sqlite", 100_000, contender, rowsPerSecond, "rows/s", true, figures);
  }

  private static Measurement cancel(Figures figures) {
    return Measurement.of("W6 cancel", "postgresql", 100, "async-engine", 73, "ms until none", false, figures)
        .withRatio(1000, "1 s target");
  }
}
