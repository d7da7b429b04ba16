package io.asyncengine.bench.contender;

import io.asyncengine.concurrent.ExecutorMode;
import java.util.List;
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
}
