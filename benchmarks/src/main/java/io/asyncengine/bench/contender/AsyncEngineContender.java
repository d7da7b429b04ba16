package io.asyncengine.bench.contender;

import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * {@code async-engine} with default settings (or one of the variants built by the factories below), written the way its README teaches: futures chained,
 * nothing blocked but the harness thread waiting for the end.
 */
public final class AsyncEngineContender implements Contender, CancelStormContender {

  private final String name;
  private final EngineSource source;
  /** W5 through {@code stream(sql)} and {@code Row}s instead of the typed path. */
  private boolean streamsRows;
  private AsyncEngine engine;
  private AutoCloseable owner;

  /** async-engine with its defaults: the contender the targets are about. */
  public AsyncEngineContender() {
    this("async-engine", UnaryOperator.identity());
  }

  private AsyncEngineContender(String name, UnaryOperator<AsyncEngine.Builder> settings) {
    this(name, (db, poolSize) -> {
      AsyncEngine built = settings.apply(AsyncEngine.builder().url(db.jdbcUrl()).maxPoolSize(poolSize)).build();
      return new OpenEngine(built, built);
    });
  }

  private AsyncEngineContender(String name, EngineSource source) {
    this.name = name;
    this.source = source;
  }

  /**
   * async-engine forced onto one executor mode, to show in the same run what {@code AUTO}'s choice
   * per driver is based on.
   */
  public static AsyncEngineContender withExecutor(ExecutorMode mode) {
    return new AsyncEngineContender("async-engine/" + mode.name().toLowerCase(Locale.ROOT), b -> b.executorMode(mode));
  }

  /**
   * async-engine with its defaults, streaming W5 as {@code Row}s ({@code stream(sql)}, every value
   * read with {@code getObject}) rather than typed records: the typed path's gain in the same run.
   */
  public static AsyncEngineContender rowStream() {
    AsyncEngineContender contender = new AsyncEngineContender("async-engine/rows", UnaryOperator.identity());
    contender.streamsRows = true;
    return contender;
  }

  /**
   * async-engine in {@link IsolationLevel#AUTOCOMMIT}: the semantics the JDBC contenders run with
   * (no transaction to roll back when a session closes), to show what the default's transaction
   * costs in W2.
   */
  public static AsyncEngineContender autocommit() {
    return new AsyncEngineContender("async-engine/autocommit", b -> b.isolationLevel(IsolationLevel.AUTOCOMMIT));
  }

  /**
   * async-engine exactly as the Spring Boot starter configures it for an application whose
   * {@code spring.datasource.url} is the benchmark's database ({@link StarterContext}): the starter's
   * executor mode per database, its Micrometer listener, Spring's exception translation and its
   * context propagators, on Boot's HikariCP pool; the cost of the Spring integration.
   */
  public static AsyncEngineContender boot() {
    return new AsyncEngineContender("async-engine/boot", StarterContext::open);
  }

  /**
   * {@link #boot()} with some of the starter's properties set otherwise, named
   * {@code async-engine/boot} plus {@code suffix}: shows in the same run what one default costs.
   */
  static AsyncEngineContender bootWith(String suffix, Map<String, Object> overrides) {
    return new AsyncEngineContender("async-engine/boot" + suffix, (db, poolSize) -> StarterContext.open(db, poolSize, overrides));
  }

  /** The engine while open, for tests that look at its configuration. */
  AsyncEngine engine() {
    return engine;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open(BenchDatabase db, int poolSize) throws Exception {
    OpenEngine opened = source.open(db, poolSize);
    engine = opened.engine();
    owner = opened.owner();
  }

  @Override
  public void sequentialLookups(int[] ids) {
    AsyncConnection connection = engine.connect().join();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int id : ids) {
      chain = chain.thenCompose(ignored -> connection.execute(BenchDatabase.LOOKUP, id)
          .thenAccept(result -> consume(result.one())));
    }
    chain.whenComplete((ok, failure) -> connection.close()).join();
  }

  @Override
  public int concurrentLookups(int[] ids) {
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<?>[] tasks = new CompletableFuture<?>[ids.length];
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      // A session is over when it is closed: the task ends with close()'s future, as the JDBC
      // contenders' tasks end after their connection's close().
      tasks[i] = engine.connect()
          .thenCompose(connection -> connection.execute(BenchDatabase.LOOKUP, id)
              .thenAccept(result -> consume(result.one()))
              .handle((ok, failure) -> connection.close().thenRun(() -> {
                if (failure != null) {
                  throw new CompletionException(failure);
                }
              }))
              .thenCompose(Function.identity()))
          .exceptionally(failure -> {
            failures.incrementAndGet();
            return null;
          });
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
      tasks[i] = engine.inTransaction(connection -> connection.execute(BenchDatabase.BUMP_COUNTER, id)
              .thenCompose(updated -> {
                // As the JDBC contenders do: a missing row fails the task (and rolls it back).
                if (updated.rowCount() != 1) {
                  throw new IllegalStateException("no user " + id);
                }
                return connection.scalar(Long.class, BenchDatabase.READ_COUNTER, id);
              }))
          .handle((ok, failure) -> {
            if (failure != null) {
              failures.incrementAndGet();
            }
            latencies[index] = System.nanoTime() - start;
            return null;
          });
    }
    CompletableFuture.allOf(tasks).join();
    return failures.get();
  }

  @Override
  public boolean supportsStream() {
    return true;
  }

  /**
   * Streams the rows into {@link StreamRow} records ({@code AsyncConnection.stream(Class, sql)}: the
   * typed path, each column read with its typed getter and no {@code Row} per row), requesting
   * 1,000 at a time.
   */
  @Override
  public long stream(LongConsumer sink) {
    if (streamsRows) {
      return streamRows(sink);
    }
    AsyncConnection connection = engine.connect().join();
    CompletableFuture<Long> done = new CompletableFuture<>();
    connection.stream(StreamRow.class, BenchDatabase.STREAM).subscribe(new Flow.Subscriber<StreamRow>() {
      private Flow.Subscription subscription;
      private long rows;
      private int sinceRequest;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1000);
      }

      @Override
      public void onNext(StreamRow row) {
        sink.accept(row.id());
        rows++;
        if (++sinceRequest == 1000) {
          sinceRequest = 0;
          subscription.request(1000);
        }
      }

      @Override
      public void onError(Throwable failure) {
        done.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        done.complete(rows);
      }
    });
    try {
      return done.join();
    } finally {
      connection.close().join();
    }
  }

  private long streamRows(LongConsumer sink) {
    AsyncConnection connection = engine.connect().join();
    CompletableFuture<Long> done = new CompletableFuture<>();
    connection.stream(BenchDatabase.STREAM).subscribe(new Flow.Subscriber<Row>() {
      private Flow.Subscription subscription;
      private long rows;
      private int sinceRequest;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1000);
      }

      @Override
      public void onNext(Row row) {
        row.get(1);
        sink.accept(((Number) row.get(0)).longValue());
        rows++;
        if (++sinceRequest == 1000) {
          sinceRequest = 0;
          subscription.request(1000);
        }
      }

      @Override
      public void onError(Throwable failure) {
        done.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        done.complete(rows);
      }
    });
    try {
      return done.join();
    } finally {
      connection.close().join();
    }
  }

  @Override
  public Future<?> submitSleep(String sql) {
    return engine.runSync(connection -> connection.execute(sql));
  }

  @Override
  public int activeConnections() {
    return ((HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean().getActiveConnections();
  }

  private static void consume(Row row) {
    Rows.consume(((Number) row.get(0)).longValue(), (String) row.get(1), (String) row.get(2));
  }

  @Override
  public void close() throws Exception {
    if (owner != null) {
      owner.close();
    }
  }

  /** Opens the engine a contender runs on. Called on the harness thread. */
  @FunctionalInterface
  interface EngineSource {
    OpenEngine open(BenchDatabase db, int poolSize) throws Exception;
  }

  /**
   * An open engine and what closes it: the engine itself, or the Spring context that owns it.
   *
   * @param engine the engine the workloads run on
   * @param owner closed when the contender closes; disposes the engine and its pool
   */
  record OpenEngine(AsyncEngine engine, AutoCloseable owner) {}
}
