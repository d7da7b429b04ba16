package io.asyncengine.bench.contender;

import io.asyncengine.concurrent.ExecutorMode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every contender of the comparison, in the order the tables list them. */
public final class Contenders {

  private Contenders() {}

  /**
   * Fresh-instance suppliers of every contender. async-engine also runs on virtual threads (its
   * default, {@code AUTO}, is platform threads: the run shows what that choice is based on) and in
   * {@code AUTOCOMMIT} (the semantics the JDBC contenders have: no transaction per session), and as
   * the Spring Boot starter configures it ({@code async-engine/boot}).
   */
  public static List<Supplier<Contender>> all() {
    return List.of(
        RawJdbcContender::new,
        PooledThreadsContender::platformPool,
        PooledThreadsContender::naiveVirtual,
        JdbcClientContender::new,
        R2dbcContender::new,
        VertxPgContender::new,
        AsyncEngineContender::new,
        () -> AsyncEngineContender.withExecutor(ExecutorMode.VIRTUAL),
        AsyncEngineContender::autocommit,
        AsyncEngineContender::boot);
  }

  /**
   * The starter's defaults taken apart, for {@code --lineup starter}: raw JDBC, the two contenders
   * the starter's W1 must never be behind (naive virtual threads, Spring's {@code JdbcClient}), the engine's core
   * defaults and virtual lanes, the starter's engine, and the starter's engine with continuations
   * completed on the lane ({@code virtual-continuations=false}), on platform lanes
   * ({@code executor.mode=platform}), and with both, and with PostgreSQL's socket reads parking at
   * once ({@code spin-socket-reads=false}). Each row differs from {@code async-engine/boot}
   * in the properties its name says.
   */
  public static List<Supplier<Contender>> starterDefaults() {
    Map<String, Object> laneContinuations = Map.of("async-engine.executor.virtual-continuations", false);
    Map<String, Object> platform = Map.of("async-engine.executor.mode", "platform");
    Map<String, Object> platformLaneContinuations = Map.of("async-engine.executor.mode", "platform",
        "async-engine.executor.virtual-continuations", false);
    Map<String, Object> parkingSocket = Map.of("async-engine.executor.spin-socket-reads", false);
    return List.of(
        RawJdbcContender::new,
        PooledThreadsContender::naiveVirtual,
        JdbcClientContender::new,
        AsyncEngineContender::new,
        () -> AsyncEngineContender.withExecutor(ExecutorMode.VIRTUAL),
        AsyncEngineContender::boot,
        () -> AsyncEngineContender.bootWith("-no-socket-spin", parkingSocket),
        () -> AsyncEngineContender.bootWith("-lane-continuations", laneContinuations),
        () -> AsyncEngineContender.bootWith("-platform", platform),
        () -> AsyncEngineContender.bootWith("-platform-lane-continuations", platformLaneContinuations));
  }

  /**
   * For {@code --lineup stream} (W5): raw JDBC, JdbcClient, the engine's default streaming typed
   * rows into a record (what W5 measures for it), the same engine streaming {@code Row}s, and the
   * engine on virtual lanes, so that the typed path's gain is a row of the same run.
   */
  public static List<Supplier<Contender>> streaming() {
    return List.of(
        RawJdbcContender::new,
        JdbcClientContender::new,
        AsyncEngineContender::new,
        AsyncEngineContender::rowStream,
        () -> AsyncEngineContender.withExecutor(ExecutorMode.VIRTUAL));
  }
}
