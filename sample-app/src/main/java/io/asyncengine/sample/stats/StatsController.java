package io.asyncengine.sample.stats;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.concurrent.TaskGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stats}: every {@link StatsQuery} at once, in one {@link TaskGroup} with a
 * deadline ({@code sample.stats.deadline}). When the deadline passes, the group cancels every
 * query still running, its statement on the server included, and the handler gets a
 * {@code StatementTimeoutException}, which the problem handler answers with {@code 503}. Runs on
 * the request's virtual thread, which waits in {@link TaskGroup#join()}.
 */
@RestController
public class StatsController {

  private final AsyncEngine engine;
  private final List<StatsQuery> queries;
  private final StatsProperties properties;

  StatsController(AsyncEngine engine, List<StatsQuery> queries, StatsProperties properties) {
    this.engine = engine;
    this.queries = queries;
    this.properties = properties;
  }

  /** The figures by name, and how long they took. */
  @GetMapping("/api/stats")
  Map<String, Object> stats() {
    long start = System.nanoTime();
    Map<String, CompletableFuture<Object>> figures = new LinkedHashMap<>();
    try (TaskGroup group = engine.taskGroup().withDeadline(properties.deadline())) {
      for (StatsQuery query : queries) {
        figures.put(query.name(), group.fork(() -> query.run(engine)));
      }
      group.join(); // the first failure, or StatementTimeoutException at the deadline
    }
    Map<String, Object> body = new LinkedHashMap<>();
    figures.forEach((name, figure) -> body.put(name, figure.join()));
    body.put("elapsedMs", (System.nanoTime() - start) / 1_000_000);
    return body;
  }
}
