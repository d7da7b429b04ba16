package io.asyncengine.concurrent;

/**
 * Which threads run an engine's database work.
 */
public enum ExecutorMode {
  /** A virtual thread per busy connection lane: cheap blocking for socket drivers (pgjdbc, MariaDB). */
  VIRTUAL,
  /**
   * A bounded pool of platform threads (anyio's {@code to_thread}), for drivers whose native calls
   * pin a virtual thread's carrier (JNI drivers such as sqlite-jdbc).
   */
  PLATFORM,
  /**
   * {@link #PLATFORM} for SQLite, {@link #VIRTUAL} for every other driver. sqlite-jdbc's native
   * calls pin a virtual thread's carrier for as long as a statement runs, so as many long SQLite
   * statements as there are carriers would stop every other virtual thread in the JVM; platform
   * threads cannot starve them. The comparison (benchmarks/RESULTS.md) measured the price: on
   * concurrent SQLite writes, virtual threads were faster (fewer writers contend for the database
   * lock at once). docs/concurrency.md has both measurements.
   */
  AUTO
}
