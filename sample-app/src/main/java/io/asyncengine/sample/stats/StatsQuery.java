package io.asyncengine.sample.stats;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.sample.Await;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * One figure of {@code /api/stats}. Every {@code StatsQuery} bean is run as a task of the
 * endpoint's task group, concurrently with the others, on a virtual thread of its own.
 */
public interface StatsQuery {

  /** The figure's name in the response. */
  String name();

  /**
   * Computes the figure, blocking the task's virtual thread. Engine operations it starts are
   * cancelled, their statements on the server included, when the group's deadline passes.
   */
  @Nullable Object run(AsyncEngine engine);

  /** A query whose first column of its one row is the figure (a number, 0 when null). */
  static StatsQuery scalar(String name, String sql) {
    return new StatsQuery() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Object run(AsyncEngine engine) {
        Object value = Await.result(engine.runSync(c -> c.execute(sql).scalar()));
        long figure = value instanceof Number number ? number.longValue() : 0L;
        // On the task's thread: the request's MDC came with the task.
        LoggerFactory.getLogger(StatsQuery.class).debug("Figure {} = {}", name, figure);
        return figure;
      }
    };
  }
}
