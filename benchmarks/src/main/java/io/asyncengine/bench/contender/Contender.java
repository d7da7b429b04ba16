package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import java.util.function.LongConsumer;

/**
 * One way of doing the benchmark's database work. Every contender gets the same database, data and
 * pool size; the harness times the calls. Each call blocks the harness thread until all the work it
 * started is done (that is what is measured), however the contender does it inside.
 */
public interface Contender extends AutoCloseable {

  /** The name in the tables and the chart. */
  String name();

  /** Whether this contender can run on {@code db} (the reactive clients are PostgreSQL only). */
  default boolean supports(BenchDatabase db) {
    return true;
  }

  /** Opens pools and clients with at most {@code poolSize} connections. */
  void open(BenchDatabase db, int poolSize) throws Exception;

  /** W1: looks up each id in order, one after another, on one connection (one session). */
  void sequentialLookups(int[] ids) throws Exception;

  /**
   * W2 and W4: looks up every id in a task of its own (its own session), all submitted at once;
   * returns when all are done.
   *
   * @return the number of tasks that failed
   */
  int concurrentLookups(int[] ids) throws Exception;

  /**
   * W3: for every id, all submitted at once, a short transaction: increment the row's counter
   * ({@link BenchDatabase#BUMP_COUNTER}), then read it by primary key
   * ({@link BenchDatabase#READ_COUNTER}). The write comes first so that no transaction holds a read
   * lock it must upgrade: on SQLite two such upgrades deadlock and fail at once with SQLITE_BUSY.
   * {@code latencies[i]} receives the nanoseconds from submission to commit of task {@code i}.
   *
   * @return the number of tasks that failed
   */
  int transactions(int[] ids, long[] latencies) throws Exception;

  /** Whether {@link #stream} is implemented. */
  default boolean supportsStream() {
    return false;
  }

  /**
   * W5: streams {@link BenchDatabase#STREAM}, handing the first column of each row to
   * {@code sink} (which may be slow), without buffering the result.
   *
   * @return the number of rows
   */
  default long stream(LongConsumer sink) throws Exception {
    throw new UnsupportedOperationException(name() + " does not stream");
  }

  /** Releases pools, threads and clients. */
  @Override
  void close() throws Exception;
}
