package io.asyncengine.concurrent;

/**
 * Which threads run an engine's database work.
 */
public enum ExecutorMode {
  /**
   * A virtual thread per busy connection lane. Blocking costs no platform thread, but every
   * database round trip goes through the JDK's I/O poller: the reply wakes the poller, which
   * reschedules the virtual thread on a carrier, two hand-offs a platform thread blocked in the
   * kernel does not pay. A JNI driver (sqlite-jdbc) pins the carrier for a whole statement.
   */
  VIRTUAL,
  /**
   * A fixed pool of platform threads (anyio's {@code to_thread}), by default as many as the
   * connection pool's maximum: each connection that has work gets a thread that blocks in the
   * driver, as hand-written JDBC does. Waiting work costs no thread in either mode (the admission
   * gate keeps a queue entry per waiter; a lane without work holds no thread). Futures complete on
   * these threads, so their continuations run there and must not block, or they hold a thread the
   * engine needs; unless the engine is built with {@code virtualContinuations(true)}, which
   * completes them on virtual threads instead.
   */
  PLATFORM,
  /**
   * {@link #PLATFORM}, for every driver; measured, not assumed. On PostgreSQL, 100 sequential
   * lookups on one connection took 2.8-3.6 times longer on a virtual lane than on a platform lane
   * (the poller hand-off above), while up to 10,000 concurrent short transactions ran at the same
   * throughput in both modes, because threads are
   * bounded by the pool either way. On SQLite, long statements on virtual threads pin every carrier
   * and stop all other virtual threads in the JVM.
   */
  AUTO
}
