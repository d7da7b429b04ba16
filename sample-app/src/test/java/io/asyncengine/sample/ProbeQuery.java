package io.asyncengine.sample;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.sample.stats.StatsQuery;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StatsQuery} the tests add to {@code /api/stats}: idle by default (0, no SQL), or a
 * statement that runs far beyond the deadline, or one that fails in the database.
 */
final class ProbeQuery implements StatsQuery {

  enum Mode { IDLE, SLEEP, BROKEN }

  final AtomicReference<Mode> mode = new AtomicReference<>(Mode.IDLE);
  final AtomicReference<String> sleepSql = new AtomicReference<>("select 1");

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public @Nullable Object run(AsyncEngine engine) {
    return switch (mode.get()) {
      case IDLE -> 0L;
      case SLEEP -> Await.result(engine.runSync(c -> c.execute(sleepSql.get()).scalar()));
      case BROKEN -> Await.result(engine.runSync(c -> c.execute("select secret_column from sample_no_such_table").scalar()));
    };
  }
}
