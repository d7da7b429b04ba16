package io.asyncengine.bench.jmh;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
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
import java.util.Properties;
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
 * <p>Session {@code get} is measured on one {@link AsyncSession} held for the whole trial (it
 * borrows its connection on the first {@code get} and keeps it, with its read transaction, until
 * tear-down): {@link #sessionGet} clears the identity map before each call, so every call issues
 * its {@code SELECT} and builds a managed {@link User}; {@link #sessionGetIdentityMapHit} loads
 * one id and then gets it again from the identity map. The entity maps the same three columns
 * {@link #rawJdbcLookup} reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OperationOverheadBenchmark {

  static final int USERS = 1_000;
  /**
   * The lookup of {@link #rawJdbcLookup}, {@link #engineExecute} and {@link #engineRunSyncLookup}:
   * {@code BenchDatabase.LOOKUP}'s query on this benchmark's own {@code users} table ({@code
   * BenchDatabase}'s reads {@code bench_users}, which does not exist here).
   */
  static final String LOOKUP = "select id, name, email from users where id = ?";
  static final String NAME = "select name from users where id = ?";
  /** Every user: the 1 000-row stream. */
  static final String ALL_USERS = "select id, name, email from users";

  private Path file;
  private Connection raw;
  private PreparedStatement rawLookup;
  private PreparedStatement rawStream;
  private AsyncEngine engine;
  private AsyncConnection conn;
  private AsyncSession session;
  private int next;

  /**
   * A row of {@code users} as a session entity: the three columns the lookups read ({@code
   * counter} is left unmapped, so {@code get} selects what {@link #rawJdbcLookup} selects).
   *
   * @param id the primary key, assigned by the set-up ({@code @Id(generated = false)})
   * @param name the user's name
   * @param email the user's e-mail address
   */
  @Table("users")
  public record User(@Id(generated = false) long id, String name, String email) {}

  /**
   * Creates a fresh SQLite file with {@value #USERS} users, a raw JDBC connection with its
   * statements prepared once, and an engine with one connection checked out and one session open
   * for the whole trial. Runs on JMH's benchmark thread.
   *
   * @throws SQLException if the database cannot be created
   * @throws IOException if the temporary file cannot be created
   */
  @Setup(Level.Trial)
  public void setUp() throws SQLException, IOException {
    file = Files.createTempFile("async-engine-jmh-", ".db");
    String url = "jdbc:sqlite:" + file;
    // The engine's SQLite pragmas (WAL among them) for the set-up and the raw baseline alike.
    Properties pragmas = BenchDatabase.SQLITE.driverProperties();
    try (Connection c = DriverManager.getConnection(url, pragmas); Statement s = c.createStatement()) {
      s.execute("create table users (id integer primary key, name varchar(50) not null, email varchar(100), counter integer not null default 0)");
      s.execute("insert into users(id, name, email) with recursive r(i) as (select 1 union all select i + 1 from r where i < "
          + USERS + ") select i, 'user' || i, 'user' || i || '@example.com' from r");
    }
    raw = DriverManager.getConnection(url, pragmas);
    rawLookup = raw.prepareStatement(LOOKUP);
    rawStream = raw.prepareStatement(ALL_USERS);
    engine = AsyncEngine.create(url);
    conn = engine.connect().join();
    session = AsyncSessionFactory.of(engine).openSession();
  }

  /**
   * Closes everything (the session first, waiting until it has returned its connection) and
   * deletes the database file. Runs on JMH's benchmark thread.
   *
   * @throws Exception if closing fails
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    session.closeAsync().join();
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

  /**
   * Baseline: a reused {@link PreparedStatement} on one connection, every column read. Runs on
   * JMH's benchmark thread.
   *
   * @throws SQLException if the query fails
   */
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

  /**
   * {@code conn.execute(LOOKUP, id).join()}, then every column of the row: the statement runs on
   * the connection's lane, the columns are read on JMH's benchmark thread, which throws the
   * query's failure as a {@link java.util.concurrent.CompletionException}.
   */
  @Benchmark
  public void engineExecute(Blackhole bh) {
    Row row = conn.execute(LOOKUP, nextId()).join().one();
    bh.consume(row.get(0));
    bh.consume(row.get(1));
    bh.consume(row.get(2));
  }

  /**
   * {@code conn.scalar(String.class, ...)}: one column, no row to build. Runs on the connection's
   * lane; JMH's benchmark thread waits and throws a failure as a {@link
   * java.util.concurrent.CompletionException}.
   */
  @Benchmark
  public String engineScalar() {
    return conn.scalar(String.class, NAME, nextId()).join();
  }

  /**
   * The same lookup through {@code runSync}: the blocking view, run on the connection's lane; the
   * columns are read on JMH's benchmark thread, which throws a failure as a {@link
   * java.util.concurrent.CompletionException}.
   */
  @Benchmark
  public void engineRunSyncLookup(Blackhole bh) {
    int id = nextId();
    Row row = conn.runSync(c -> c.execute(LOOKUP, id).one()).join();
    bh.consume(row.get(0));
    bh.consume(row.get(1));
    bh.consume(row.get(2));
  }

  /**
   * Baseline: all 1 000 users through a plain {@link ResultSet} loop, every column read. Runs on
   * JMH's benchmark thread.
   *
   * @throws SQLException if the query fails
   */
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
   *
   * @throws IllegalStateException on JMH's benchmark thread when fewer or more rows arrive
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

  /**
   * {@code session.get(User.class, id).join()} on a fresh id after {@code expungeAll()}, so the
   * identity map never answers: a {@code SELECT} by primary key on the session's connection lane,
   * then a managed {@link User} (its snapshot and identity-map entry) built there. {@code
   * expungeAll} runs on JMH's benchmark thread, which waits for the {@code get} and throws its
   * failure as a {@link java.util.concurrent.CompletionException}.
   *
   * @throws IllegalStateException if the user is missing
   */
  @Benchmark
  public User sessionGet() {
    session.expungeAll();
    return session.get(User.class, nextId()).join()
        .orElseThrow(() -> new IllegalStateException("user " + next + " not found"));
  }

  /**
   * The same id twice: the first {@code get} (after {@code expungeAll()}) loads it, the second is
   * answered from the identity map with no SQL but still through the session's lane hop. Runs
   * like {@link #sessionGet}; subtract its figure for the cost of the hit.
   *
   * @throws IllegalStateException if the user is missing or the hit returns another instance
   */
  @Benchmark
  public User sessionGetIdentityMapHit() {
    session.expungeAll();
    int id = nextId();
    User loaded = session.get(User.class, id).join().orElseThrow(
        () -> new IllegalStateException("user " + id + " not found"));
    User hit = session.get(User.class, id).join().orElseThrow();
    if (hit != loaded) {
      throw new IllegalStateException("the identity map returned another instance for user " + id);
    }
    return hit;
  }
}
