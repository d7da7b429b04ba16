package io.asyncengine.bench;

import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.contender.Contenders;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.JsonReport;
import io.asyncengine.bench.report.MarkdownReport;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.RatioChart;
import io.asyncengine.bench.report.ResultTable;
import io.asyncengine.bench.report.TargetCheck;
import io.asyncengine.bench.workload.CancelWorkload;
import io.asyncengine.bench.workload.FloodWorkload;
import io.asyncengine.bench.workload.LatencyWorkload;
import io.asyncengine.bench.workload.Progress;
import io.asyncengine.bench.workload.ScaleWorkload;
import io.asyncengine.bench.workload.StreamWorkload;
import io.asyncengine.bench.workload.Workload;
import io.asyncengine.bench.workload.http.HttpWorkload;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The comparison: every workload (W1-W7) on SQLite and PostgreSQL, every contender, one run.
 * Prints the table and the verdict on each target ({@link TargetCheck}), writes
 * {@code results/<timestamp>.json}, {@code .png} (the ratios) and {@code .md} (the same as a report).
 *
 * <p>Options: {@code --quick} (small sizes, the CI smoke test), {@code --db sqlite,postgresql},
 * {@code --only W1,W3}, {@code --lineup starter} (instead of every contender, the starter's defaults
 * taken apart: {@link Contenders#starterDefaults()}; {@code --lineup stream}: the engine's typed
 * streaming path against its {@code Row} path and the JDBC contenders, {@link Contenders#streaming()}),
 * {@code --out DIR} (default {@code results}).
 */
public final class BenchmarkMain {

  /** The contenders whose errors fail the smoke run: the engine's defaults and the starter's. */
  private static final List<String> ENGINES_CHECKED = List.of("async-engine", "async-engine/boot");

  private BenchmarkMain() {}

  /**
   * Runs the comparison; in quick mode, exits non-zero when async-engine or async-engine/boot
   * reported errors or a figure of theirs lacks its error count. A workload that could not run here
   * (W7 without wrk) says so in its figures and the report, and does not fail the smoke run.
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    List<BenchDatabase> databases = List.of(BenchDatabase.SQLITE, BenchDatabase.POSTGRESQL);
    List<String> only = List.of();
    Path outDir = Path.of("results");
    String lineup = "all";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--full" -> quick = false;
        case "--db" -> databases = Arrays.stream(args[++i].split(",")).map(s -> BenchDatabase.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
        case "--only" -> only = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
        case "--out" -> outDir = Path.of(args[++i]);
        case "--lineup" -> lineup = args[++i];
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; use --quick, --db, --only, --lineup, --out");
      }
    }
    Settings settings = quick ? Settings.smoke() : Settings.full();
    Progress progress = new Progress(System.err);
    List<Workload> workloads = new ArrayList<>(List.of(
        LatencyWorkload.sequential(), LatencyWorkload.concurrent(), new ScaleWorkload(), new FloodWorkload(),
        new StreamWorkload(), new CancelWorkload(), new HttpWorkload()));
    List<String> selected = only;
    if (!selected.isEmpty()) {
      workloads.removeIf(w -> selected.stream().noneMatch(id -> w.id().startsWith(id)));
    }
    List<Supplier<Contender>> contenders = switch (lineup) {
      case "all" -> Contenders.all();
      case "starter" -> Contenders.starterDefaults();
      case "stream" -> Contenders.streaming();
      default -> throw new IllegalArgumentException("Unknown lineup " + lineup + "; use all, starter or stream");
    };
    List<Measurement> all = new ArrayList<>();
    for (BenchDatabase db : databases) {
      progress.step("preparing " + db + ": " + settings.users() + " users, " + settings.w5Rows() + " stream rows");
      db.createData(settings.users(), settings.w5Rows());
      for (Workload workload : workloads) {
        if (workload.supports(db)) {
          List<Measurement> figures = workload.run(db, contenders, settings, progress);
          ResultTable.print(figures, System.out);
          all.addAll(figures);
        }
      }
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Map<String, Object> meta = meta(settings, databases);
    Path json = outDir.resolve(stamp + (quick ? "-quick" : "") + ".json");
    Path png = outDir.resolve(stamp + (quick ? "-quick" : "") + ".png");
    Path markdown = outDir.resolve(stamp + (quick ? "-quick" : "") + ".md");
    JsonReport.write(json, meta, all);
    RatioChart.write(png, "async-engine comparison " + stamp + (quick ? " (quick)" : "") + ", ratios in one run", all);
    MarkdownReport.write(markdown, meta, all, png);
    System.out.println();
    System.out.println("Targets:");
    TargetCheck.verdicts(all).forEach(v -> System.out.println("  " + v));
    System.out.println();
    System.out.println("results: " + json.toAbsolutePath());
    System.out.println("chart:   " + png.toAbsolutePath());
    System.out.println("report:  " + markdown.toAbsolutePath());
    long errors = all.stream().mapToLong(m -> m.figures().get(Figure.ERRORS).orElse(0)).sum();
    all.stream().map(m -> m.figures().get(Figure.SKIPPED).map(why -> m.group() + " " + why)).flatMap(java.util.Optional::stream)
        .distinct().forEach(why -> System.out.println("!!! NOT MEASURED: " + why));
    // A figure without an error count proves nothing: in the smoke run it fails like an error.
    if (quick && all.stream().anyMatch(m -> ENGINES_CHECKED.contains(m.contender()) && m.figures().get(Figure.SKIPPED).isEmpty()
        && m.figures().get(Figure.ERRORS).orElse(1) > 0)) {
      System.err.println("async-engine or async-engine/boot reported errors, or no error count, in the smoke run");
      System.exit(1);
    }
    progress.step("done, " + all.size() + " figures, " + errors + " errors across all contenders");
  }

  private static Map<String, Object> meta(Settings settings, List<BenchDatabase> databases) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("mode", settings.quick() ? "quick" : "full");
    meta.put("timestamp", LocalDateTime.now().toString());
    meta.put("cpus", Runtime.getRuntime().availableProcessors());
    meta.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576);
    meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    for (BenchDatabase db : databases) {
      String sql = db == BenchDatabase.SQLITE ? "select 'SQLite ' || sqlite_version()" : "select version()";
      try (Connection c = DriverManager.getConnection(db.jdbcUrl()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        meta.put(db.toString(), rs.getString(1));
      } catch (Exception e) {
        meta.put(db.toString(), "unknown: " + e.getMessage());
      }
    }
    meta.put("settings", settings.toString());
    return meta;
  }
}
