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
   * {@link #VIRTUAL} for every driver, chosen by the comparison (benchmarks/RESULTS.md, where
   * async-engine also runs forced onto each mode): on SQLite, VIRTUAL matched PLATFORM on sequential
   * work and streaming and beat it on concurrent writes (1,803 against 229 transactions/s at N=100)
   * and on CPU under a flood, because two carriers contend less for SQLite's database lock than a
   * thread per connection. The price, measured by {@code ExecutorModeHarness}: sqlite-jdbc's native
   * calls pin carriers, so unrelated virtual threads of a busy SQLite application wake later (p99
   * about 4-7 times); choose {@link #PLATFORM} when that matters more (docs/concurrency.md).
   */
  AUTO
}
