package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;

/**
 * {@code vertx-pg}: the Vert.x 5 reactive PostgreSQL client pool; PostgreSQL only. Work runs on
 * Vert.x event loops; the harness thread submits everything and then blocks on the composed
 * {@link Future}.
 *
 * <p>Not thread-safe for concurrent calls from several harness threads.
 */
public final class VertxPgContender implements Contender {

  /** PostgreSQL's native placeholders: the Vert.x client does not translate JDBC's {@code ?}. */
  static final String LOOKUP = "select id, name, email from bench_users where id = $1";

  static final String READ_COUNTER = "select counter from bench_users where id = $1";
  static final String BUMP_COUNTER = "update bench_users set counter = counter + 1 where id = $1";

  /** Rows per cursor fetch when streaming. */
  static final int STREAM_FETCH = 1_000;

  private Vertx vertx;
  private Pool pool;

  /** One looked-up row; a record so that every column is really read and kept. */
  record User(long id, String name, String email) {}

  @Override
  public String name() {
    return "vertx-pg";
  }

  /** PostgreSQL only: the client speaks PostgreSQL's wire protocol. */
  @Override
  public boolean supports(BenchDatabase db) {
    return db == BenchDatabase.POSTGRESQL;
  }

  /**
   * Starts Vert.x (default event loops: two per core) and a pool of at most {@code poolSize}
   * connections, then opens all of them so that connecting is not timed. Prepared statements are
   * cached per connection, as the JDBC driver (after five uses) and r2dbc-postgresql do by
   * default; without it every query would be parsed again.
   *
   * @throws IllegalArgumentException if {@code db} is not PostgreSQL
   */
  @Override
  public void open(BenchDatabase db, int poolSize) {
    if (!supports(db)) {
      throw new IllegalArgumentException(name() + " runs on PostgreSQL only, not " + db);
    }
    vertx = Vertx.vertx();
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("vertx-pg"))
        .connectingTo(new PgConnectOptions()
            .setHost(BenchDatabase.pgHost())
            .setPort(BenchDatabase.pgPort())
            .setDatabase(R2dbcContender.pgDatabase())
            .setUser("postgres")
            .setCachePreparedStatements(true))
        .using(vertx)
        .build();
    // The pool connects lazily: hold poolSize connections at once, then give them back.
    List<Future<SqlConnection>> connections = new ArrayList<>(poolSize);
    for (int i = 0; i < poolSize; i++) {
      connections.add(pool.getConnection());
    }
    await(Future.all(connections));
    connections.forEach(c -> await(c.result().close()));
  }

  /** All lookups in order on one pooled connection, each starting when the previous has ended. */
  @Override
  public void sequentialLookups(int[] ids) {
    await(pool.withConnection(conn -> lookupFrom(conn, ids, 0)));
  }

  /**
   * Every lookup submitted at once through {@code pool.preparedQuery}, which borrows a connection
   * per query (waiting in the pool's queue when all are busy); waits for all to settle.
   */
  @Override
  public int concurrentLookups(int[] ids) {
    List<Future<User>> futures = new ArrayList<>(ids.length);
    for (int id : ids) {
      futures.add(pool.preparedQuery(LOOKUP).execute(Tuple.of((long) id)).map(VertxPgContender::user));
    }
    return settle(futures);
  }

  /**
   * Every transaction submitted at once through {@code pool.withTransaction}: bump the counter,
   * read it back, commit (rolled back by Vert.x on failure). The latency runs from submission to the
   * commit's completion.
   */
  @Override
  public int transactions(int[] ids, long[] latencies) {
    List<Future<Long>> futures = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      int index = i;
      long id = ids[i];
      long submitted = System.nanoTime();
      futures.add(pool.<Long>withTransaction(conn -> conn.preparedQuery(BUMP_COUNTER).execute(Tuple.of(id))
              .compose(updated -> conn.preparedQuery(READ_COUNTER).execute(Tuple.of(id)))
              .compose(rows -> {
                if (rows.size() != 1) {
                  return Future.failedFuture(new IllegalStateException("no user " + id));
                }
                return Future.succeededFuture(rows.iterator().next().getLong(0));
              }))
          // map, not onSuccess: the future waited on then completes only after the latency is written.
          .map(counter -> {
            latencies[index] = System.nanoTime() - submitted;
            return counter;
          }));
    }
    return settle(futures);
  }

  @Override
  public boolean supportsStream() {
    return true;
  }

  /**
   * Streams through a {@link RowStream} (a portal fetched {@value #STREAM_FETCH} rows at a time,
   * which PostgreSQL keeps open only inside a transaction). The sink runs on the connection's event
   * loop, Vert.x's own way: the stream does not fetch the next batch until the handler has taken
   * the current one, so a slow sink slows the fetching down.
   */
  @Override
  public long stream(LongConsumer sink) {
    return await(pool.withTransaction(conn -> conn.prepare(BenchDatabase.STREAM)
        .compose(statement -> drain(statement, sink).eventually(statement::close))));
  }

  /** Closes the pool, then Vert.x, waiting for both. */
  @Override
  public void close() {
    if (pool != null) {
      await(pool.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private static Future<Long> drain(PreparedStatement statement, LongConsumer sink) {
    Promise<Long> done = Promise.promise();
    long[] count = {0};
    RowStream<Row> rows = statement.createStream(STREAM_FETCH);
    rows.exceptionHandler(done::tryFail);
    rows.endHandler(v -> done.tryComplete(count[0]));
    // Setting the handler starts the flow, so it goes last.
    rows.handler(row -> {
      try {
        row.getString(1); // every contender reads every column
        sink.accept(row.getLong(0));
        count[0]++;
      } catch (RuntimeException e) {
        rows.close();
        done.tryFail(e);
      }
    });
    return done.future();
  }

  private Future<Void> lookupFrom(SqlConnection conn, int[] ids, int from) {
    if (from == ids.length) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(LOOKUP).execute(Tuple.of((long) ids[from]))
        .map(VertxPgContender::user)
        .compose(user -> lookupFrom(conn, ids, from + 1));
  }

  private static User user(RowSet<Row> rows) {
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size());
    }
    Row row = rows.iterator().next();
    return new User(row.getLong(0), row.getString(1), row.getString(2));
  }

  /** Waits for every future to settle, successfully or not, and counts the failures. */
  private static int settle(List<? extends Future<?>> futures) {
    if (futures.isEmpty()) {
      return 0;
    }
    Future.join(futures).toCompletionStage().toCompletableFuture().exceptionally(e -> null).join();
    int failures = 0;
    for (Future<?> future : futures) {
      if (future.failed()) {
        failures++;
      }
    }
    return failures;
  }

  /** Blocks the calling (non-event-loop) thread until {@code future} completes. */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
