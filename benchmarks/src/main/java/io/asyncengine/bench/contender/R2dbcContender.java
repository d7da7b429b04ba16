package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code r2dbc}: r2dbc-postgresql behind r2dbc-pool, composed with Reactor; PostgreSQL only. The
 * harness thread subscribes and blocks until the whole pipeline completes; the work itself runs on
 * the driver's Netty event loops.
 *
 * <p>Not thread-safe for concurrent calls from several harness threads.
 */
public final class R2dbcContender implements Contender {

  /** PostgreSQL's native placeholders: r2dbc-postgresql does not translate JDBC's {@code ?}. */
  static final String LOOKUP = "select id, name, email from bench_users where id = $1";

  static final String READ_COUNTER = "select counter from bench_users where id = $1";
  static final String BUMP_COUNTER = "update bench_users set counter = counter + 1 where id = $1";

  /** Rows per round trip (a portal with a row limit) and per backpressured batch when streaming. */
  static final int STREAM_BATCH = 1_000;

  private ConnectionPool pool;

  /** One looked-up row; a record so that every column is really read and kept. */
  record User(long id, String name, String email) {}

  /**
   * The database the JDBC contenders use, taken from {@link BenchDatabase#jdbcUrl()} so that the
   * reactive clients always read the same data.
   */
  static String pgDatabase() {
    String url = BenchDatabase.POSTGRESQL.jdbcUrl();
    int start = url.indexOf('/', "jdbc:postgresql://".length()) + 1;
    int end = url.indexOf('?', start);
    return url.substring(start, end < 0 ? url.length() : end);
  }

  @Override
  public String name() {
    return "r2dbc";
  }

  /** PostgreSQL only: there is no R2DBC driver for SQLite. */
  @Override
  public boolean supports(BenchDatabase db) {
    return db == BenchDatabase.POSTGRESQL;
  }

  /**
   * Opens an r2dbc-pool of exactly {@code poolSize} connections (initial and maximum) and warms it
   * up so that connecting is not timed.
   *
   * @throws IllegalArgumentException if {@code db} is not PostgreSQL
   */
  @Override
  public void open(BenchDatabase db, int poolSize) {
    if (!supports(db)) {
      throw new IllegalArgumentException(name() + " runs on PostgreSQL only, not " + db);
    }
    PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(
        PostgresqlConnectionConfiguration.builder()
            .host(BenchDatabase.pgHost())
            .port(BenchDatabase.pgPort())
            .username("postgres")
            .database(pgDatabase())
            .build());
    pool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
        .name("r2dbc")
        .initialSize(poolSize)
        .maxSize(poolSize)
        .build());
    pool.warmup().block();
  }

  /** All lookups in order on one pooled connection ({@code concatMap}: one at a time). */
  @Override
  public void sequentialLookups(int[] ids) {
    Mono.usingWhen(pool.create(),
            c -> Flux.range(0, ids.length).concatMap(i -> lookup(c, ids[i])).then(),
            Connection::close)
        .block();
  }

  /**
   * Every lookup subscribed at once ({@code flatMap} with concurrency = number of ids), each with
   * a connection of its own from the pool; a failed or empty lookup counts and does not stop the
   * others.
   */
  @Override
  public int concurrentLookups(int[] ids) {
    if (ids.length == 0) {
      return 0;
    }
    AtomicInteger failures = new AtomicInteger();
    Flux.range(0, ids.length)
        .flatMap(i -> Mono.usingWhen(pool.create(), c -> lookup(c, ids[i]), Connection::close)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no user " + ids[i])))
                .onErrorResume(e -> {
                  failures.incrementAndGet();
                  return Mono.empty();
                }),
            ids.length)
        .blockLast();
    return failures.get();
  }

  /**
   * Every transaction subscribed at once: begin, read the counter, bump it, commit, on a pooled
   * connection; rolled back before the connection goes back if anything fails. The latency runs
   * from subscription (which is submission here) to the commit's completion.
   */
  @Override
  public int transactions(int[] ids, long[] latencies) {
    if (ids.length == 0) {
      return 0;
    }
    AtomicInteger failures = new AtomicInteger();
    Flux.range(0, ids.length)
        .flatMap(i -> Mono.defer(() -> {
              long submitted = System.nanoTime();
              return transaction(ids[i]).doOnSuccess(v -> latencies[i] = System.nanoTime() - submitted);
            })
            .onErrorResume(e -> {
              failures.incrementAndGet();
              return Mono.empty();
            }),
            ids.length)
        .blockLast();
    return failures.get();
  }

  @Override
  public boolean supportsStream() {
    return true;
  }

  /**
   * Streams with a fetch size (a portal read {@value #STREAM_BATCH} rows at a time) and Reactor
   * backpressure: the harness thread pulls through a bounded {@code toStream} queue, so a slow sink
   * slows the driver down instead of the rows piling up, and the sink never blocks an event loop.
   */
  @Override
  public long stream(LongConsumer sink) {
    Flux<Long> rows = Flux.usingWhen(pool.create(),
        c -> Flux.from(c.createStatement(BenchDatabase.STREAM).fetchSize(STREAM_BATCH).execute())
            .concatMap(result -> result.map((row, meta) -> {
              row.get(1, String.class); // every contender reads every column
              return row.get(0, Long.class);
            })),
        Connection::close);
    long count = 0;
    // Closing the Java stream cancels the subscription (and frees the connection) if the sink throws.
    try (Stream<Long> stream = rows.toStream(STREAM_BATCH)) {
      var iterator = stream.iterator();
      while (iterator.hasNext()) {
        sink.accept(iterator.next());
        count++;
      }
    }
    return count;
  }

  /** Disposes the pool, closing its connections. */
  @Override
  public void close() {
    if (pool != null) {
      pool.disposeLater().block();
    }
  }

  private Mono<Void> transaction(int id) {
    return Mono.usingWhen(pool.create(),
        c -> Mono.from(c.beginTransaction())
            .then(Mono.from(c.createStatement(BUMP_COUNTER).bind("$1", (long) id).execute())
                .flatMap(r -> Mono.from(r.getRowsUpdated())))
            .then(Mono.from(c.createStatement(READ_COUNTER).bind("$1", (long) id).execute())
                .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Long.class)))))
            .switchIfEmpty(Mono.error(() -> new IllegalStateException("no user " + id)))
            .then(Mono.from(c.commitTransaction())),
        Connection::close,
        // Roll back before the connection goes back to the pool, as a JDBC pool would.
        (c, error) -> Mono.from(c.rollbackTransaction()).onErrorResume(e -> Mono.empty()).then(Mono.from(c.close())),
        Connection::close);
  }

  private static Mono<User> lookup(Connection c, int id) {
    return Flux.from(c.createStatement(LOOKUP).bind("$1", (long) id).execute())
        .concatMap(result -> result.map((row, meta) ->
            new User(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class))))
        .singleOrEmpty();
  }
}
