package io.asyncengine.bench.workload.http;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.Measurement;
import io.asyncengine.bench.report.Ratios;
import io.asyncengine.bench.workload.Progress;
import io.asyncengine.bench.workload.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * W7 {@code http}: the sample app's {@code GET /api/users/{id}} and {@code POST /api/transfers}
 * under wrk, against the same endpoints on {@code JdbcClient} with virtual threads and on Spring
 * Data JDBC repositories (the {@code benchmarks-http-app} jar, the latter with profile
 * {@code data-jdbc}). Each application runs from its packaged jar in a JVM of its own, with the
 * same JVM flags, database, data and HikariCP pool ({@code spring.datasource.*}, the driver
 * properties every contender gets; the quick mode leaves Spring Data JDBC out). All are started,
 * checked to answer alike ({@link SameAnswers}), warmed up endpoint by endpoint, then measured in
 * rounds that rotate the applications and the endpoints, one wrk run at a time.
 * Figures per endpoint and application: requests/s (median of the rounds, ratio to jdbc-client),
 * p50/p99 latency (median of the rounds), errors (requests without an answer and answers that are
 * neither 2xx nor a refusal the API documents), refusals (409/422) apart.
 *
 * <p>To measure what a setting of the starter changes, system property {@code bench.w7.variants}
 * adds sample apps started with extra arguments, in the same rounds: {@code name:--arg --arg;name2:--arg}
 * adds {@code async-engine/boot+name} and {@code async-engine/boot+name2}, for example
 * {@code platform:--async-engine.executor.mode=platform}. System property {@code bench.w7.jvmFlags}
 * adds JVM flags to every application, for example
 * {@code -XX:StartFlightRecording=filename=/tmp/w7-%p.jfr,settings=profile} to profile them all under
 * the same load (JFR replaces {@code %p} with each JVM's process id).
 *
 * <p>The in-process contenders take no part: the applications are the contenders. Without wrk (not
 * installed and not installable) or without the two jars, W7 reports itself skipped, with the
 * reason, instead of figures.
 */
public final class HttpWorkload implements Workload {

  /** The sample app: the engine as the starter configures it. */
  static final String ENGINE_APP = "async-engine/boot";
  /** The rival application: JdbcClient on virtual threads. */
  static final String RIVAL_APP = "jdbc-client";
  /** The rival application with profile data-jdbc: Spring Data JDBC repositories on virtual threads. */
  static final String DATA_JDBC_APP = "spring-data-jdbc";
  /** The same for both: a fixed heap, so neither pays for growing it during a round. */
  private static final List<String> JVM_FLAGS = jvmFlags();
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

  /** The two endpoints: their workload name in the report and the Lua script's endpoint argument. */
  private enum Endpoint {
    USERS("W7 GET /api/users/{id}", "users"),
    TRANSFERS("W7 POST /api/transfers", "transfers");

    final String workload;
    final String argument;

    Endpoint(String workload, String argument) {
      this.workload = workload;
      this.argument = argument;
    }
  }

  @Override
  public String id() {
    return "W7 http";
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    Path sampleJar;
    Path rivalJar;
    try {
      sampleJar = jar("bench.w7.sampleJar", "sample-app/target", "sample-app-");
      rivalJar = jar("bench.w7.rivalJar", "benchmarks/http-app/target", "benchmarks-http-app");
    } catch (IOException e) {
      return skipped(db, e.getMessage(), settings, progress);
    }
    StringBuilder why = new StringBuilder();
    Optional<Wrk> found = Wrk.findOrInstall(why);
    if (found.isEmpty()) {
      return skipped(db, why.toString(), settings, progress);
    }
    Wrk wrk = found.get();
    progress.step(id() + " " + db + ": creating the sample app's tables, " + settings.users() + " users, "
        + settings.w7Accounts() + " accounts");
    HttpData.create(db, sampleJar, settings.users(), settings.w7Accounts());
    List<String> args = datasourceArgs(db, settings.w7Pool());
    List<HttpApp> apps = new ArrayList<>();
    try {
      progress.step(id() + " " + db + ": starting the applications (pool " + settings.w7Pool() + " each)");
      // The sample app traces every request; the rivals have no tracer, so W7 compares the two
      // without sampling (the observations still run; what is left out is recording the spans).
      List<String> sampleArgs = new ArrayList<>(args);
      sampleArgs.add("--management.tracing.sampling.probability=0.0");
      apps.add(HttpApp.start(ENGINE_APP, sampleJar, JVM_FLAGS, sampleArgs));
      apps.add(HttpApp.start(RIVAL_APP, rivalJar, JVM_FLAGS, args));
      if (!settings.quick()) { // the smoke run keeps to two JVMs; DataJdbcApplicationTest covers this one
        List<String> dataJdbcArgs = new ArrayList<>(args);
        dataJdbcArgs.add("--spring.profiles.active=data-jdbc");
        apps.add(HttpApp.start(DATA_JDBC_APP, rivalJar, JVM_FLAGS, dataJdbcArgs));
      }
      for (Map.Entry<String, List<String>> variant : variants().entrySet()) {
        List<String> variantArgs = new ArrayList<>(sampleArgs);
        variantArgs.addAll(variant.getValue());
        apps.add(HttpApp.start(ENGINE_APP + "+" + variant.getKey(), sampleJar, JVM_FLAGS, variantArgs));
      }
      for (HttpApp app : apps) {
        app.awaitHealthy(STARTUP_TIMEOUT);
      }
      SameAnswers.check(apps);
      List<Measurement> figures = measure(db, apps, wrk, settings, progress);
      for (HttpApp app : apps) {
        app.close();
        app.deleteLog(); // kept when anything failed: the exception names it
      }
      return figures;
    } finally {
      for (HttpApp app : apps) {
        app.close();
      }
    }
  }

  private List<Measurement> measure(BenchDatabase db, List<HttpApp> apps, Wrk wrk, Settings settings, Progress progress)
      throws Exception {
    long seed = System.nanoTime();
    for (HttpApp app : apps) {
      for (Endpoint endpoint : Endpoint.values()) {
        progress.step(id() + " " + db + ": warm-up " + app.name() + " " + endpoint.workload);
        WrkResult warm = run(wrk, app, endpoint, settings, settings.w7WarmupSeconds(), "w" + seed, seed++);
        if (warm.requests() == 0) {
          throw new IOException(app.name() + " answered nothing during its warm-up on " + endpoint.workload + "; log "
              + app.log() + ":\n" + app.tail());
        }
      }
    }
    Map<String, List<WrkResult>> results = new HashMap<>();
    Map<String, List<Double>> cpuPer1000 = new HashMap<>();
    List<Endpoint> endpoints = List.of(Endpoint.values());
    for (int r = 0; r < settings.w7Rounds(); r++) {
      progress.step(id() + " " + db + ": round " + (r + 1) + "/" + settings.w7Rounds());
      for (HttpApp app : rotated(apps, r)) {
        for (Endpoint endpoint : rotated(endpoints, r)) {
          long cpuBefore = app.cpuNanos();
          WrkResult result = run(wrk, app, endpoint, settings, settings.w7Seconds(), "r" + r + "-" + seed, seed++);
          long cpu = app.cpuNanos() - cpuBefore;
          results.computeIfAbsent(endpoint.workload + "|" + app.name(), k -> new ArrayList<>()).add(result);
          if (cpuBefore >= 0 && result.requests() > 0) {
            cpuPer1000.computeIfAbsent(endpoint.workload + "|" + app.name(), k -> new ArrayList<>())
                .add(cpu / 1e9 / result.requests() * 1000);
          }
        }
      }
    }
    checkMoneyConserved(db, settings, progress);
    List<Measurement> out = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      for (HttpApp app : apps) {
        String key = endpoint.workload + "|" + app.name();
        out.add(measurement(db, endpoint, app.name(), results.get(key), cpuPer1000.getOrDefault(key, List.of())));
      }
    }
    return Ratios.against(out, RIVAL_APP);
  }

  private static WrkResult run(Wrk wrk, HttpApp app, Endpoint endpoint, Settings settings, int seconds, String prefix,
      long seed) throws IOException, InterruptedException {
    int ids = endpoint == Endpoint.USERS ? settings.users() : settings.w7Accounts();
    // Transfer ids are at most 64 of [A-Za-z0-9._:-]: the app's name as a short hash keeps them unique and short.
    String unique = Integer.toString(app.name().hashCode() & 0x7fffffff, 36) + "-" + prefix;
    return wrk.run(app.baseUrl(), settings.w7Connections(), seconds, endpoint.argument, ids, unique, seed);
  }

  private Measurement measurement(BenchDatabase db, Endpoint endpoint, String app, List<WrkResult> runs,
      List<Double> cpuPer1000) {
    double[] throughput = runs.stream().mapToDouble(WrkResult::requestsPerSecond).toArray();
    double[] p50 = runs.stream().mapToDouble(WrkResult::p50Ms).toArray();
    double[] p99 = runs.stream().mapToDouble(WrkResult::p99Ms).toArray();
    Map<Integer, Long> statuses = new LinkedHashMap<>();
    runs.forEach(run -> run.statuses().forEach((status, n) -> statuses.merge(status, n, Long::sum)));
    WrkResult total = new WrkResult(runs.stream().mapToLong(WrkResult::requests).sum(), 0,
        runs.stream().mapToLong(WrkResult::socketErrors).sum(), 0, 0, statuses);
    Figures figures = Figures.none()
        .with(Figure.RUNS, runs.size())
        .with(Figure.P50_MS, median(p50))
        .with(Figure.P99_MS, median(p99))
        .with(Figure.ERRORS, Math.toIntExact(total.errors()))
        .with(Figure.SOCKET_ERRORS, total.socketErrors())
        .with(Figure.REFUSED, total.refused())
        .with(Figure.REQUESTS, total.requests())
        .with(Figure.STATUSES, total.statusesText());
    if (!cpuPer1000.isEmpty()) {
      figures = figures.with(Figure.CPU_SECONDS_PER_1000, median(cpuPer1000.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    return Measurement.of(endpoint.workload, db.toString(), 0, app, median(throughput), "req/s", true, figures);
  }

  /** Transfers move money between accounts: its sum must be what the accounts opened with. */
  private void checkMoneyConserved(BenchDatabase db, Settings settings, Progress progress) throws Exception {
    long expected = HttpData.OPENING_BALANCE * settings.w7Accounts();
    try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement statement = connection.createStatement();
        ResultSet sum = statement.executeQuery("select sum(balance) from sample_accounts")) {
      sum.next();
      long actual = sum.getLong(1);
      if (actual != expected) {
        progress.step("!!! " + id() + " " + db + ": the accounts hold " + actual + ", not " + expected
            + ": a transfer was half applied");
        throw new IllegalStateException(id() + " " + db + ": money not conserved, " + actual + " != " + expected);
      }
    }
  }

  /** Both applications' rows, without figures, saying why W7 did not run; printed loudly. */
  private List<Measurement> skipped(BenchDatabase db, String reason, Settings settings, Progress progress) {
    String text = "skipped: " + reason;
    progress.step("!!! " + id() + " " + db + " " + text);
    List<Measurement> out = new ArrayList<>();
    for (Endpoint endpoint : Endpoint.values()) {
      for (String app : settings.quick() ? List.of(ENGINE_APP, RIVAL_APP) : List.of(ENGINE_APP, RIVAL_APP, DATA_JDBC_APP)) {
        out.add(Measurement.of(endpoint.workload, db.toString(), 0, app, Double.NaN, "req/s", true,
            Figures.none().with(Figure.SKIPPED, text)));
      }
    }
    return Ratios.against(out, RIVAL_APP);
  }

  /** Every application's JVM flags: the same heap for all, plus {@code bench.w7.jvmFlags}. */
  private static List<String> jvmFlags() {
    List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"));
    for (String flag : System.getProperty("bench.w7.jvmFlags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return List.copyOf(flags);
  }

  /** The sample app's variants named by system property {@code bench.w7.variants}, by name. */
  static Map<String, List<String>> variants() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String property = System.getProperty("bench.w7.variants", "");
    for (String entry : property.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("bench.w7.variants entry '" + entry + "' is not name:--arg --arg");
      }
      out.put(entry.substring(0, colon).trim(), List.of(entry.substring(colon + 1).trim().split("\\s+")));
    }
    return out;
  }

  /**
   * The spring.datasource.* arguments both applications get: the URL, a HikariCP pool of
   * {@code pool} connections opened at once, the benchmark's connection timeout and the driver
   * properties every contender gets (SQLite's pragmas); the tables exist already.
   */
  static List<String> datasourceArgs(BenchDatabase db, int pool) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.datasource.url=" + db.jdbcUrl(),
        "--spring.datasource.hikari.maximum-pool-size=" + pool,
        "--spring.datasource.hikari.minimum-idle=" + pool,
        "--spring.datasource.hikari.connection-timeout=60000",
        "--spring.sql.init.mode=never"));
    db.driverProperties().forEach((key, value) ->
        args.add("--spring.datasource.hikari.data-source-properties[" + key + "]=" + value));
    return args;
  }

  /**
   * The jar named by system property {@code property}, or else the newest {@code prefix*.jar} in
   * {@code dir} of the repository this benchmark was built in.
   *
   * @throws IOException when there is none
   */
  private static Path jar(String property, String dir, String prefix) throws IOException {
    String named = System.getProperty(property);
    if (named != null) {
      Path path = Path.of(named);
      if (!Files.isRegularFile(path)) {
        throw new IOException(property + "=" + named + " is not a file");
      }
      return path;
    }
    Path folder = repositoryRoot().resolve(dir);
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".jar"))
          .max((a, b) -> a.toFile().lastModified() < b.toFile().lastModified() ? -1 : 1)
          .orElseThrow(() -> new IOException("no " + prefix + "*.jar in " + folder + "; build it with -am"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("no " + folder + "; build it with -am", e);
    }
  }

  /** The repository: the benchmark runs from benchmarks/target/benchmarks.jar (or benchmarks/target/classes). */
  private static Path repositoryRoot() {
    try {
      Path location = Path.of(HttpWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.toAbsolutePath().getParent().getParent().getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> List<T> rotated(List<T> items, int round) {
    List<T> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(items.get((round + i) % items.size()));
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
