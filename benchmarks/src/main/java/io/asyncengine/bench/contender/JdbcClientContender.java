package io.asyncengine.bench.contender;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.bench.BenchDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code jdbc-client}: Spring's {@link JdbcClient} over the shared HikariCP pool, each task on a
 * virtual thread of its own, transactions through a {@link TransactionTemplate}: what a Spring user
 * with {@code spring.threads.virtual.enabled=true} writes today.
 *
 * <p>Not thread-safe for concurrent calls from several harness threads; each call blocks its caller
 * until all the work it started is done.
 */
public final class JdbcClientContender implements Contender {

  /** Rows per round trip when streaming; PostgreSQL only honours it inside a transaction. */
  static final int STREAM_FETCH_SIZE = 1_000;

  /** Reads every column of a looked-up row, as every contender does. */
  private static final RowMapper<User> USER =
      (rs, n) -> new User(rs.getLong(1), rs.getString(2), rs.getString(3));

  private BenchDatabase db;
  private HikariDataSource dataSource;
  private JdbcClient jdbc;
  private TransactionTemplate transactions;
  private TransactionTemplate readOnlyTransactions;
  private JdbcClient streamingJdbc;
  private ExecutorService virtualThreads;

  /** One looked-up row; a record so that every column is really read and kept. */
  record User(long id, String name, String email) {}

  @Override
  public String name() {
    return "jdbc-client";
  }

  /**
   * Opens the shared HikariCP pool with {@code poolSize} connections and the Spring objects over
   * it.
   */
  @Override
  public void open(BenchDatabase db, int poolSize) {
    this.db = db;
    dataSource = db.hikari(poolSize, "jdbc-client");
    jdbc = JdbcClient.create(dataSource);
    DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
    transactions = new TransactionTemplate(manager);
    readOnlyTransactions = new TransactionTemplate(manager);
    // Xerial's driver refuses setReadOnly on an open connection; PostgreSQL gets the hint.
    readOnlyTransactions.setReadOnly(db == BenchDatabase.POSTGRESQL);
    JdbcTemplate fetching = new JdbcTemplate(dataSource);
    fetching.setFetchSize(STREAM_FETCH_SIZE);
    streamingJdbc = JdbcClient.create(fetching);
    virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
  }

  /**
   * Runs the lookups one after another on one virtual thread and one pooled connection (a
   * {@link SingleConnectionDataSource} that does not close it), so that it is one session as W1
   * asks, not a pool checkout per statement.
   */
  @Override
  public void sequentialLookups(int[] ids) throws Exception {
    join(virtualThreads.submit(() -> {
      try (Connection connection = dataSource.getConnection()) {
        JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
        for (int id : ids) {
          lookup(session, id);
        }
      }
      return null;
    }));
  }

  /** A virtual thread per id, each a {@link JdbcClient} lookup on a connection of its own. */
  @Override
  public int concurrentLookups(int[] ids) throws InterruptedException {
    List<Future<User>> futures = new ArrayList<>(ids.length);
    for (int id : ids) {
      futures.add(virtualThreads.submit(() -> lookup(jdbc, id)));
    }
    return failures(futures);
  }

  /**
   * A virtual thread per id, each a {@link TransactionTemplate} around a read of the counter and
   * its increment; the latency runs from submission to the template's commit.
   */
  @Override
  public int transactions(int[] ids, long[] latencies) throws InterruptedException {
    List<Future<Long>> futures = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      int index = i;
      int id = ids[i];
      long submitted = System.nanoTime();
      futures.add(virtualThreads.submit(() -> {
        Long counter = transactions.execute(status -> {
          int updated = jdbc.sql(BenchDatabase.BUMP_COUNTER).param(id).update();
          if (updated != 1) {
            throw new IllegalStateException("no user " + id);
          }
          return jdbc.sql(BenchDatabase.READ_COUNTER).param(id).query(Long.class).single();
        });
        latencies[index] = System.nanoTime() - submitted;
        return counter;
      }));
    }
    return failures(futures);
  }

  @Override
  public boolean supportsStream() {
    return true;
  }

  /**
   * Streams through {@code JdbcClient...stream()} with a fetch size, inside a (read-only on
   * PostgreSQL) transaction because PostgreSQL's driver only uses a cursor with autocommit off;
   * the rows are consumed on one virtual thread, one at a time.
   */
  @Override
  public long stream(LongConsumer sink) throws Exception {
    return join(virtualThreads.submit(() -> readOnlyTransactions.execute(status -> {
      try (Stream<Long> rows = streamingJdbc.sql(BenchDatabase.STREAM)
          .query((ResultSet rs, int n) -> {
            long id = rs.getLong(1);
            rs.getString(2); // every contender reads every column
            return id;
          })
          .stream()) {
        long[] count = {0};
        rows.forEach(id -> {
          sink.accept(id);
          count[0]++;
        });
        return count[0];
      }
    })));
  }

  /** Shuts the virtual-thread executor down (waiting for stragglers) and closes the pool. */
  @Override
  public void close() {
    if (virtualThreads != null) {
      virtualThreads.close();
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private static User lookup(JdbcClient client, int id) {
    return client.sql(BenchDatabase.LOOKUP).param(id).query(USER).single();
  }

  private static int failures(List<? extends Future<?>> futures) throws InterruptedException {
    int failures = 0;
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        failures++;
      }
    }
    return failures;
  }

  private static <T> T join(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return name() + (db == null ? "" : " on " + db);
  }
}
