package io.asyncengine.bench.contender;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.bench.BenchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Blocking JDBC over HikariCP, a task per unit of work on an executor: {@code platform-pool}
 * ({@code CompletableFuture.supplyAsync} on 200 platform threads, Tomcat's default) or
 * {@code naive-virtual} (a virtual thread per task calling HikariCP directly, no gate: what
 * {@code spring.threads.virtual.enabled=true} gives).
 */
public final class PooledThreadsContender implements Contender, CancelStormContender {

  private final String name;
  private final Supplier<ExecutorService> executorFactory;
  private ExecutorService executor;
  private HikariDataSource pool;
  private BenchDatabase db;

  private PooledThreadsContender(String name, Supplier<ExecutorService> executorFactory) {
    this.name = name;
    this.executorFactory = executorFactory;
  }

  /** 200 platform threads. */
  public static PooledThreadsContender platformPool() {
    return new PooledThreadsContender("platform-pool", () -> Executors.newFixedThreadPool(200));
  }

  /** A virtual thread per task. */
  public static PooledThreadsContender naiveVirtual() {
    return new PooledThreadsContender("naive-virtual", Executors::newVirtualThreadPerTaskExecutor);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open(BenchDatabase db, int poolSize) {
    this.db = db;
    pool = db.hikari(poolSize, name);
    executor = executorFactory.get();
  }

  @Override
  public void sequentialLookups(int[] ids) throws Exception {
    // One session: a connection held for the whole sequence, as W1 asks.
    CompletableFuture.runAsync(() -> {
      try (Connection connection = pool.getConnection();
           PreparedStatement statement = connection.prepareStatement(BenchDatabase.LOOKUP)) {
        for (int id : ids) {
          lookup(statement, id);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, executor).join();
  }

  @Override
  public int concurrentLookups(int[] ids) {
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<?>[] tasks = new CompletableFuture<?>[ids.length];
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      tasks[i] = CompletableFuture.runAsync(() -> {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(BenchDatabase.LOOKUP)) {
          lookup(statement, id);
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      }, executor);
    }
    CompletableFuture.allOf(tasks).join();
    return failures.get();
  }

  @Override
  public int transactions(int[] ids, long[] latencies) {
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<?>[] tasks = new CompletableFuture<?>[ids.length];
    long start = System.nanoTime();
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      int index = i;
      tasks[i] = CompletableFuture.runAsync(() -> {
        try (Connection connection = pool.getConnection()) {
          connection.setAutoCommit(false);
          try (PreparedStatement read = connection.prepareStatement(BenchDatabase.READ_COUNTER);
               PreparedStatement bump = connection.prepareStatement(BenchDatabase.BUMP_COUNTER)) {
            bump.setInt(1, id);
            bump.executeUpdate();
            read.setInt(1, id);
            try (ResultSet rs = read.executeQuery()) {
              rs.next();
              rs.getLong(1);
            }
            connection.commit();
          } catch (Exception e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        } catch (Exception e) {
          failures.incrementAndGet();
        }
        latencies[index] = System.nanoTime() - start;
      }, executor);
    }
    CompletableFuture.allOf(tasks).join();
    return failures.get();
  }

  @Override
  public Future<?> submitSleep(String sql) {
    return executor.submit(() -> {
      try (Connection connection = pool.getConnection();
           PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.execute();
      }
      return null;
    });
  }

  @Override
  public int activeConnections() {
    return pool.getHikariPoolMXBean().getActiveConnections();
  }

  private void lookup(PreparedStatement statement, int id) throws Exception {
    statement.setInt(1, id);
    try (ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("no user " + id + " in " + db);
      }
      Rows.consume(rs.getLong(1), rs.getString(2), rs.getString(3));
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
    if (pool != null) {
      pool.close();
    }
  }
}
