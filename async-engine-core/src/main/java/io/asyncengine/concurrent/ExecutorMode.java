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
   * {@link #PLATFORM} for JNI drivers (SQLite), {@link #VIRTUAL} for every other driver. Chosen by
   * measurement (docs/concurrency.md, {@code ExecutorModeHarness}): under SQLite load, virtual
   * threads give no throughput gain and make unrelated virtual threads wake up 4-7 times later at
   * the 99th percentile, because sqlite-jdbc's native calls pin their carriers.
   */
  AUTO
}
