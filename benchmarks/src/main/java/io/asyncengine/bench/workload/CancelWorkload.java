package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.Settings;
import io.asyncengine.bench.contender.CancelStormContender;
import io.asyncengine.bench.contender.Contender;
import io.asyncengine.bench.report.Figure;
import io.asyncengine.bench.report.Figures;
import io.asyncengine.bench.report.Measurement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * W6 {@code cancel} (PostgreSQL): N {@code pg_sleep(30)} statements submitted at once to a pool of
 * 16, then every future cancelled together. Reports the time until {@code pg_stat_activity} shows
 * none of them (capped; a contender that cannot cancel on the server reaches the cap) and the
 * connections still checked out one second after that. Statements left running are terminated
 * afterwards so the next contender starts clean.
 */
public final class CancelWorkload implements Workload {

  // Each contender's statements carry its name, so what one leaves running is never counted
  // against the next; everything W6 started is terminated before the next contender begins.
  private static final String SLEEP = "select pg_sleep(30) /* w6 %s */";
  private static final String TERMINATE_ALL =
      "select pg_terminate_backend(pid) from pg_stat_activity where query like 'select pg_sleep(30) /* w6 %'";
  private static final long CAP_NANOS = 5_000_000_000L;

  @Override
  public String id() {
    return "W6 cancel";
  }

  @Override
  public boolean supports(BenchDatabase db) {
    return db == BenchDatabase.POSTGRESQL;
  }

  @Override
  public List<Measurement> run(BenchDatabase db, List<Supplier<Contender>> contenders, Settings settings, Progress progress)
      throws Exception {
    List<Measurement> out = new ArrayList<>();
    try (Connection monitor = DriverManager.getConnection(db.jdbcUrl()); Statement statement = monitor.createStatement()) {
      for (Supplier<Contender> factory : contenders) {
        try (Contender contender = factory.get()) {
          if (!(contender instanceof CancelStormContender storm) || !contender.supports(db)) {
            continue;
          }
          terminateAll(statement); // what earlier contenders left behind must not load this one's run
          contender.open(db, settings.w6Pool());
          String sleep = String.format(SLEEP, contender.name());
          progress.step(id() + " " + db + " N=" + settings.w6Statements() + ": " + contender.name());
          List<Future<?>> futures = new ArrayList<>();
          for (int i = 0; i < settings.w6Statements(); i++) {
            futures.add(storm.submitSleep(sleep));
          }
          long waitUntil = System.nanoTime() + 10_000_000_000L;
          while (count(statement, sleep) < settings.w6Pool() && System.nanoTime() < waitUntil) {
            Thread.sleep(10);
          }
          int runningBefore = count(statement, sleep);
          long start = System.nanoTime();
          for (Future<?> future : futures) {
            future.cancel(true);
          }
          long cancelReturned = System.nanoTime() - start;
          while (count(statement, sleep) > 0 && System.nanoTime() - start < CAP_NANOS) {
            Thread.sleep(5);
          }
          long gone = System.nanoTime() - start;
          boolean capped = count(statement, sleep) > 0;
          Thread.sleep(1_000);
          int leaked = storm.activeConnections();
          int left = count(statement, sleep);
          if (left > 0) {
            terminateAll(statement);
          }
          Figures figures = Figures.none()
              .with(Figure.RUNNING_WHEN_CANCELLED, runningBefore)
              .with(Figure.CANCEL_CALLS_MS, cancelReturned / 1e6)
              .with(Figure.REACHED_CAP, capped)
              .with(Figure.STATEMENTS_LEFT_AFTER_1S, left)
              .with(Figure.CONNECTIONS_LEAKED, leaked)
              .with(Figure.ERRORS, leaked + left);
          out.add(Measurement.of(id(), db.toString(), settings.w6Statements(), contender.name(), gone / 1e6, "ms until none",
              false, figures).withRatio(1000, "1 s target"));
        }
      }
    }
    return out;
  }

  /** Statements of this contender still running on the server. */
  private static int count(Statement statement, String sleep) throws Exception {
    String like = sleep.replace("'", "''");
    try (ResultSet rs = statement.executeQuery(
        "select count(*) from pg_stat_activity where query like '" + like + "%' and state = 'active'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void terminateAll(Statement statement) throws Exception {
    statement.execute(TERMINATE_ALL);
  }
}
