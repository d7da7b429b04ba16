package io.asyncengine.bench.contender;

import java.util.List;
import java.util.function.Supplier;

/** Every contender of benchmarks.md, in the order the tables list them. */
public final class Contenders {

  private Contenders() {}

  /** Fresh-instance suppliers of every contender. */
  public static List<Supplier<Contender>> all() {
    return List.of(
        RawJdbcContender::new,
        PooledThreadsContender::platformPool,
        PooledThreadsContender::naiveVirtual,
        JdbcClientContender::new,
        R2dbcContender::new,
        VertxPgContender::new,
        AsyncEngineContender::new);
  }
}
