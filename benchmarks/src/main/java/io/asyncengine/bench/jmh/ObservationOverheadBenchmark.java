package io.asyncengine.bench.jmh;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.OperationObservation;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.concurrent.ContextPropagator;
import io.asyncengine.spring.observation.MicrometerOperationObserver;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

/**
 * What context propagation and operation observation cost per operation, on the operation of
 * {@link OperationOverheadBenchmark#engineScalar} (a one-column lookup by primary key on a SQLite
 * file, joined by JMH's benchmark thread), for each {@link #hooks} setting:
 * <ul>
 *   <li>{@code none}: nothing configured, the engine's default (the hooks cost a field read and a
 *       branch);
 *   <li>{@code passthrough}: a propagator that wraps nothing and an observer whose observations do
 *       nothing, so every hook runs (capture, wrap, probe, scope, stop) and adds only its own cost;
 *   <li>{@code micrometer}: what the starter installs with tracing on the classpath but nothing
 *       exporting: the SLF4J MDC and Micrometer's context snapshot as propagators (the caller has an
 *       MDC entry), and a {@link MicrometerOperationObserver} on a registry with one handler that
 *       does nothing, so each operation is a real Micrometer {@link Observation}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ObservationOverheadBenchmark {

  /** Which hooks the engine has; see the class comment. */
  @Param({ "none", "passthrough", "micrometer" })
  public String hooks;

  private Path file;
  private AsyncEngine engine;
  private AsyncConnection conn;
  private int next;

  /**
   * Creates a SQLite file with {@value OperationOverheadBenchmark#USERS} users and an engine with
   * the {@link #hooks} asked for, one connection checked out for the whole trial. Runs on JMH's
   * benchmark thread.
   *
   * @throws SQLException if the database cannot be created
   * @throws IOException if the temporary file cannot be created
   * @throws IllegalArgumentException for an unknown {@link #hooks} value
   */
  @Setup(Level.Trial)
  public void setUp() throws SQLException, IOException {
    file = Files.createTempFile("async-engine-jmh-observation-", ".db");
    String url = "jdbc:sqlite:" + file;
    Properties pragmas = BenchDatabase.SQLITE.driverProperties();
    try (Connection c = DriverManager.getConnection(url, pragmas); Statement s = c.createStatement()) {
      s.execute("create table users (id integer primary key, name varchar(50) not null, email varchar(100))");
      s.execute("insert into users(id, name, email) with recursive r(i) as (select 1 union all select i + 1 from r where i < "
          + OperationOverheadBenchmark.USERS + ") select i, 'user' || i, 'user' || i || '@example.com' from r");
    }
    AsyncEngine.Builder builder = AsyncEngine.builder().url(url);
    switch (hooks) {
      case "none" -> { }
      case "passthrough" -> builder.contextPropagator(task -> task).observer(operation -> OperationObservation.NONE);
      case "micrometer" -> {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new Discard());
        ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
        ContextPropagator micrometer = task -> snapshots.captureAll().wrap(task);
        builder.contextPropagator(ContextPropagator.mdc()).contextPropagator(micrometer)
            .observer(new MicrometerOperationObserver(registry, null, false));
        MDC.put("requestId", "jmh");
      }
      default -> throw new IllegalArgumentException("unknown hooks " + hooks);
    }
    engine = builder.build();
    conn = engine.connect().join();
  }

  /** A handler that takes every observation and does nothing with it. */
  private static final class Discard implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  /**
   * Closes the connection and the engine and deletes the database file. Runs on JMH's benchmark thread.
   *
   * @throws IOException if the file cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    MDC.clear();
    conn.close().join();
    engine.close();
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
  }

  /**
   * {@code conn.scalar(String.class, NAME, id).join()}, as {@link OperationOverheadBenchmark#engineScalar}.
   * Runs on the connection's lane; JMH's benchmark thread waits and throws a failure as a
   * {@link java.util.concurrent.CompletionException}.
   */
  @Benchmark
  public String scalar() {
    next = next == OperationOverheadBenchmark.USERS ? 1 : next + 1;
    return conn.scalar(String.class, OperationOverheadBenchmark.NAME, next).join();
  }
}
