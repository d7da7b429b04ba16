package io.asyncengine.bench.jmh;

import io.asyncengine.AsyncConnection;
import io.asyncengine.AsyncEngine;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.result.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-operation cost of async-engine over raw JDBC on a SQLite file database, where the
 * statement itself is cheapest and the overhead (a hop to the connection's lane and back, the
 * statement cache, building a {@link Row}) shows most. Each benchmark method is one operation on
 * one connection, called from JMH's single benchmark thread; ids rotate through 1..{@value #USERS}.
 *
 * <p>Session {@code get} is not measured yet: the session package has not landed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OperationOverheadBenchmark {

  static final int USERS = 1_000;
  static final String NAME = "select name from users where id = ?";
  /** Every user: the 1 000-row stream. */
  static final String ALL_USERS = "select id, name, email from users";

  private Path file;
  private Connection raw;
  private PreparedStatement rawLookup;
  private PreparedStatement rawStream;
  private AsyncEngine engine;
  private AsyncConnection conn;
  private int next;

  /**
   * Creates a fresh SQLite file with {@value #USERS} users, a raw JDBC connection with its
   * statements prepared once, and an engine with one connection checked out for the whole trial.
   *
   * @throws SQLException if the database cannot be created
   * @throws IOException if the temporary file cannot be created
   */
  @Setup(Level.Trial)
  public void setUp() throws SQLException, IOException {
    file = Files.createTempFile("async-engine-jmh-", ".db");
    String url = "jdbc:sqlite:" + file;
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("pragma journal_mode=WAL");
      s.execute("create table users (id integer primary key, name varchar(50) not null, email varchar(100), counter integer not null default 0)");
      s.execute("insert into users(id, name, email) with recursive r(i) as (select 1 union all select i + 1 from r where i < "
          + USERS + ") select i, 'user' || i, 'user' || i || '@example.com' from r");
    }
    raw = DriverManager.getConnection(url);
    rawLookup = raw.prepareStatement(BenchDatabase.LOOKUP);
    rawStream = raw.prepareStatement(ALL_USERS);
    engine = AsyncEngine.create(url);
    conn = engine.connect().join();
  }

  /**
   * Closes everything and deletes the database file.
   *
   * @throws Exception if closing fails
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    conn.close().join();
    engine.close();
    rawLookup.close();
    rawStream.close();
    raw.close();
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
  }

  private int nextId() {
    next = next == USERS ? 1 : next + 1;
    return next;
  }

  /** Baseline: a reused {@link PreparedStatement} on one connection, every column read. */
  @Benchmark
  public void rawJdbcLookup(Blackhole bh) throws SQLException {
    rawLookup.setInt(1, nextId());
    try (ResultSet rs = rawLookup.executeQuery()) {
      rs.next();
      bh.consume(rs.getLong(1));
      bh.consume(rs.getString(2));
      bh.consume(rs.getString(3));
    }
  }

  /** {@code conn.execute(LOOKUP, id).join()}, then every column of the row. */
  @Benchmark
  public void engineExecute(Blackhole bh) {
    Row row = conn.execute(BenchDatabase.LOOKUP, nextId()).join().one();
    bh.consume(row.get(0));
    bh.consume(row.get(1));
    bh.consume(row.get(2));
  }

  /** {@code conn.scalar(String.class, ...)}: one column, no row to build. */
  @Benchmark
  public String engineScalar() {
    return conn.scalar(String.class, NAME, nextId()).join();
  }

  /** The same lookup through {@code runSync}: the blocking view, run on the connection's lane. */
  @Benchmark
  public void engineRunSyncLookup(Blackhole bh) {
    int id = nextId();
    Row row = conn.runSync(c -> c.execute(BenchDatabase.LOOKUP, id).one()).join();
    bh.consume(row.get(0));
    bh.consume(row.get(1));
    bh.consume(row.get(2));
  }

  /** Baseline: all 1 000 users through a plain {@link ResultSet} loop, every column read. */
  @Benchmark
  public long rawJdbcStream1000(Blackhole bh) throws SQLException {
    long rows = 0;
    try (ResultSet rs = rawStream.executeQuery()) {
      while (rs.next()) {
        bh.consume(rs.getLong(1));
        bh.consume(rs.getString(2));
        bh.consume(rs.getString(3));
        rows++;
      }
    }
    return rows;
  }

  /**
   * All 1 000 users through {@code conn.stream(...)}, requesting everything at once; the rows
   * arrive on the connection's lane and the benchmark thread waits for completion.
   */
  @Benchmark
  public long engineStream1000(Blackhole bh) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    conn.stream(ALL_USERS).subscribe(new Flow.Subscriber<Row>() {
      private long rows;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Row row) {
        // Blackhole is safe here: JMH's thread is parked in join() while the lane signals.
        bh.consume(row.get(0));
        bh.consume(row.get(1));
        bh.consume(row.get(2));
        rows++;
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }

      @Override
      public void onComplete() {
        done.complete(rows);
      }
    });
    long rows = done.join();
    if (rows != USERS) {
      throw new IllegalStateException("streamed " + rows + " rows, not " + USERS);
    }
    return rows;
  }
}
