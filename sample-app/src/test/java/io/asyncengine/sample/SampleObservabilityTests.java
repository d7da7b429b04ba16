package io.asyncengine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.asyncengine.asyncio.AsyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.ObjectMapper;

/**
 * A request's trace and log lines, over real HTTP on the database of the concrete subclass, with
 * the engine's statement echo on: the HTTP server span is the ancestor of every engine span the
 * request caused (on the request's thread, in {@code TaskGroup} tasks, in continuations and on
 * Spring MVC's async thread), each with the engine's keys; the engine's echo lines (logged on its
 * own threads) and the application's lines carry the request's id and trace id; concurrent
 * requests never see each other's id, and work after them on the same lanes sees none.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"async-engine.echo=true", "logging.level.io.asyncengine.sample=debug"})
@Import(SampleObservabilityTests.Collecting.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class SampleObservabilityTests {

  private static final String ECHO = "io.asyncengine.sql";
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @TestConfiguration(proxyBeanMethods = false)
  static class Collecting {
    @Bean
    SpanCollector spanCollector() {
      return new SpanCollector();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  AsyncEngine engine;

  @Autowired
  SpanCollector spans;

  @Autowired
  ObjectMapper json;

  LogCollector logs;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** The {@code db.system} the engine reports for this database. */
  abstract String dbSystem();

  @BeforeEach
  void emptyTablesAndCollectors() {
    Await.result(engine.runSyncInTransaction(c -> {
      c.execute("delete from sample_transfers");
      c.execute("delete from sample_accounts");
      c.execute("delete from sample_users");
      return null;
    }));
    logs = LogCollector.attach();
    spans.clear();
  }

  @AfterEach
  void detach() {
    logs.detach();
  }

  // ------------------------------------------------------------------ request ids

  @Test
  void requestIdIsAcceptedOrGeneratedAndReturned() throws Exception {
    String id = "client-" + UUID.randomUUID();
    assertThat(send("GET", "/api/users/1", null, id).headers().firstValue("X-Request-Id")).hasValue(id);

    String generated = send("GET", "/api/users/1", null, null).headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(generated).matches(UUID_TEXT);

    // Too long, or characters a log line must not receive: replaced, never reflected.
    for (String hostile : List.of("x".repeat(65), "a b", "<script>", "id;drop", "%0d%0a")) {
      String answered = send("GET", "/api/users/1", null, hostile).headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(answered).matches(UUID_TEXT).isNotEqualTo(generated);
    }
    // The error dispatch (a 404 problem from /error) keeps the request's id.
    HttpResponse<String> missing = send("GET", "/no/such/path", null, "missing-" + id);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-Request-Id")).hasValue("missing-" + id);
  }

  // ------------------------------------------------------------------ traces and logs per endpoint

  @Test
  void createdUserTraceAndLogLines(CapturedOutput output) throws Exception {
    String id = "create-" + UUID.randomUUID();
    String email = id + "@example.org";
    HttpResponse<String> created = send("POST", "/api/users", Map.of("name", "Ada", "email", email), id);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("X-Request-Id")).hasValue(id);

    MutableSpan server = awaitServerSpan(id);
    assertThat(server.name()).isEqualTo("http post /api/users");

    // The INSERT's echo line: logged on an engine thread, with the request's id and trace.
    List<ILoggingEvent> insert = awaitLines(ECHO, e -> e.getFormattedMessage().contains(email), 1);
    assertLinesOf(insert, id, server);
    assertThat(insert).allSatisfy(e -> assertThat(e.getThreadName()).startsWith("async-engine-"));
    // Every echo line of this request (BEGIN, INSERT, COMMIT ...) has it.
    assertLinesOf(echoLinesWith(id), id, server);
    assertThat(echoLinesWith(id).size()).isGreaterThanOrEqualTo(2);

    // The console pattern shows [requestId traceId spanId] on the engine's lines.
    String shown = "[" + id + " " + server.traceId() + " ";
    awaitTrue(() -> output.getOut().lines().anyMatch(line -> line.contains(ECHO) && line.contains(shown)
        && line.contains(email)), "an echo line showing the request and trace ids");
    // The unit of work: a connection, the session's flush (the INSERT) and its commit.
    assertThat(names(engineSpansUnder(server))).as(trace(server))
        .contains("asyncengine.connection.acquire", "asyncengine.session.flush", "asyncengine.session.commit");
  }

  @Test
  void fanOutTasksCarryTheRequest() throws Exception {
    String id = "stats-" + UUID.randomUUID();
    HttpResponse<String> stats = send("GET", "/api/stats", null, id);
    assertThat(stats.statusCode()).isEqualTo(200);

    MutableSpan server = awaitServerSpan(id);
    // Each figure's debug line, logged in its TaskGroup task, and each figure's echo line.
    List<ILoggingEvent> figures = awaitLines("io.asyncengine.sample.stats", e -> e.getFormattedMessage().startsWith("Figure "), 4);
    assertLinesOf(figures, id, server);
    assertThat(figures).allSatisfy(e -> assertThat(e.getThreadName()).startsWith("async-engine-task-"));
    List<ILoggingEvent> counts = awaitLines(ECHO, e -> e.getFormattedMessage().startsWith("select count(*) from sample_")
        || e.getFormattedMessage().startsWith("select coalesce(sum(balance), 0)"), 4);
    assertLinesOf(counts, id, server);
    // Each figure's runSync, started in its own task, is in the request's trace.
    assertThat(names(engineSpansUnder(server))).as(trace(server))
        .filteredOn("asyncengine.engine.run_sync"::equals).hasSize(4);
  }

  @Test
  void transferContinuationsCarryTheRequest() throws Exception {
    long from = accountId(send("POST", "/api/accounts", Map.of("owner", "Ada", "balance", 100), "setup-1"));
    long to = accountId(send("POST", "/api/accounts", Map.of("owner", "Grace", "balance", 0), "setup-2"));
    String id = "transfer-" + UUID.randomUUID();
    String transferId = "t-" + UUID.randomUUID();
    HttpResponse<String> transfer = send("POST", "/api/transfers",
        Map.of("transferId", transferId, "fromAccount", from, "toAccount", to, "amount", 30), id);
    assertThat(transfer.statusCode()).isEqualTo(201);

    MutableSpan server = awaitServerSpan(id);

    // The debug line logged by the transaction's last continuation, on the engine's thread.
    List<ILoggingEvent> moved = awaitLines("io.asyncengine.sample.accounts",
        e -> e.getFormattedMessage().startsWith("Transfer " + transferId + ":"), 1);
    assertLinesOf(moved, id, server);
    assertThat(moved).allSatisfy(e -> assertThat(e.getThreadName()).startsWith("async-engine-"));
    List<ILoggingEvent> updates = awaitLines(ECHO, e -> e.getFormattedMessage().startsWith("update sample_accounts"), 2);
    assertLinesOf(updates, id, server);
    // The transaction, and its three statements, started in continuations, with their SQL.
    List<MutableSpan> engineSpans = engineSpansUnder(server);
    assertThat(names(engineSpans)).as(trace(server)).contains("asyncengine.engine.in_transaction");
    List<String> sql = statements(engineSpans);
    assertThat(sql).as(trace(server)).anySatisfy(s -> assertThat(s).startsWith("insert into sample_transfers"));
    assertThat(sql).as(trace(server)).filteredOn(s -> s.startsWith("update sample_accounts")).hasSize(2);
  }

  @Test
  void streamOnTheAsyncThreadCarriesTheRequest() throws Exception {
    for (int i = 0; i < 3; i++) {
      send("POST", "/api/users", Map.of("name", "U" + i, "email", "u" + i + "-" + UUID.randomUUID() + "@example.org"), null);
    }
    String id = "stream-" + UUID.randomUUID();
    HttpResponse<String> stream = send("GET", "/api/users/stream", null, id);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body().lines()).hasSize(3);
    assertThat(stream.headers().firstValue("X-Request-Id")).hasValue(id);

    MutableSpan server = awaitServerSpan(id);
    List<ILoggingEvent> streamed = awaitLines("io.asyncengine.sample.users",
        e -> e.getFormattedMessage().equals("Streamed 3 users"), 1);
    assertLinesOf(streamed, id, server);
    List<ILoggingEvent> select = awaitLines(ECHO, e -> e.getFormattedMessage().contains("from sample_users order by id"), 1);
    assertLinesOf(select, id, server);
    assertThat(statements(engineSpansUnder(server))).as(trace(server))
        .anySatisfy(s -> assertThat(s).contains("from sample_users order by id"));
  }

  @Test
  void callersTraceIsContinued() throws Exception {
    // A W3C traceparent from an upstream service: the request, and the engine's work, join its trace.
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String parentId = traceId.substring(0, 16);
    String id = "joined-" + UUID.randomUUID();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stats"))
        .header("traceparent", "00-" + traceId + "-" + parentId + "-01").header("X-Request-Id", id).build();
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    MutableSpan server = awaitServerSpan(id);
    assertThat(server.traceId()).isEqualTo(traceId);
    assertThat(server.parentId()).isEqualTo(parentId);
    assertThat(names(engineSpansUnder(server))).as(trace(server))
        .filteredOn("asyncengine.engine.run_sync"::equals).hasSize(4);
    assertLinesOf(awaitLines(ECHO, e -> id.equals(e.getMDCPropertyMap().get("requestId")), 4), id, server);
  }

  // ------------------------------------------------------------------ isolation

  @Test
  void concurrentRequestsNeverSeeEachOthersIds() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    int requests = 48;
    ExecutorService clients = Executors.newFixedThreadPool(12);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String id = "conc-" + run + "-" + i;
        answers.add(clients.submit(() -> send("POST", "/api/users",
            Map.of("name", "N", "email", id + "@example.org"), id)));
      }
      for (Future<HttpResponse<String>> answer : answers) {
        assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
      }
    } finally {
      clients.shutdownNow();
    }

    // Every line naming a request's email (its INSERT's echo) carries that request's id, none another's.
    Pattern token = Pattern.compile("conc-" + run + "-\\d+");
    List<ILoggingEvent> named = awaitLines(ECHO, e -> token.matcher(e.getFormattedMessage()).find(), requests);
    for (ILoggingEvent line : named) {
      Matcher m = token.matcher(line.getFormattedMessage());
      assertThat(m.find()).isTrue();
      assertThat(line.getMDCPropertyMap()).as(line.getFormattedMessage()).containsEntry("requestId", m.group());
    }
    assertThat(named.stream().map(e -> e.getMDCPropertyMap().get("requestId")).collect(Collectors.toSet()))
        .hasSize(requests);
    // Each request's lines carry one trace id: its own server span's.
    List<MutableSpan> servers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String id = "conc-" + run + "-" + i;
      MutableSpan server = awaitServerSpan(id);
      assertLinesOf(echoLinesWith(id), id, server);
      servers.add(server);
    }

    // The same lanes afterwards, for a caller without a request: no request's id or trace left behind.
    String marker = "after-" + run;
    for (int i = 0; i < 16; i++) {
      Await.result(engine.inTransaction(conn -> conn.execute("select ? as marker", marker)));
    }
    List<ILoggingEvent> after = awaitLines(ECHO, e -> e.getFormattedMessage().contains(marker), 16);
    Set<String> traces = servers.stream().map(MutableSpan::traceId).collect(Collectors.toSet());
    assertThat(after).allSatisfy(e -> {
      assertThat(e.getMDCPropertyMap()).doesNotContainKey("requestId");
      // The engine's own span of this work may be in the MDC: never a request's.
      assertThat(traces).doesNotContain(e.getMDCPropertyMap().get("traceId"));
      assertThat(e.getThreadName()).startsWith("async-engine-");
    });

    // Each request's trace has its own flush and commit, and no other request's.
    for (MutableSpan server : servers) {
      assertThat(names(engineSpansUnder(server))).as(trace(server))
          .containsOnlyOnce("asyncengine.session.flush", "asyncengine.session.commit");
    }
    // The work after the burst is traced on its own: no request's trace adopted it.
    List<MutableSpan> markers = spans.matching(s -> String.valueOf(s.tag("db.statement")).contains("marker"));
    assertThat(markers).hasSize(16).allSatisfy(s -> assertThat(traces).doesNotContain(s.traceId()));
  }

  // ------------------------------------------------------------------ helpers

  private HttpResponse<String> send(String method, String path, @Nullable Object body, @Nullable String requestId)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long accountId(HttpResponse<String> created) {
    assertThat(created.statusCode()).isEqualTo(201);
    return ((Number) json.readValue(created.body(), Map.class).get("id")).longValue();
  }

  /** The request's server span, once it has ended (it ends after the response is written). */
  private MutableSpan awaitServerSpan(String requestId) {
    return await(() -> spans.serverSpan(requestId), "the server span of " + requestId);
  }

  /**
   * The engine's spans under {@code server}, each checked: named {@code asyncengine.*}, with the
   * engine's low-cardinality keys, a success, and {@code server} for an ancestor.
   */
  private List<MutableSpan> engineSpansUnder(MutableSpan server) {
    List<MutableSpan> engineSpans = spans.inTrace(server.traceId()).stream()
        .filter(s -> s.name() != null && s.name().startsWith("asyncengine.")).toList();
    assertThat(engineSpans).as("engine spans in the trace of %s", server.name()).isNotEmpty();
    assertThat(engineSpans).allSatisfy(s -> {
      assertThat(spans.descendsFrom(s, server)).as("%s under the server span", s.name()).isTrue();
      assertThat(s.tags()).containsKeys("kind", "outcome", "engine", "db.system")
          .containsEntry("outcome", "success").containsEntry("db.system", dbSystem());
    });
    return engineSpans;
  }

  private static List<String> names(List<MutableSpan> engineSpans) {
    return engineSpans.stream().map(MutableSpan::name).toList();
  }

  /** The {@code db.statement} of the spans that have one, lower-cased, identifiers unquoted. */
  private static List<String> statements(List<MutableSpan> engineSpans) {
    return engineSpans.stream().map(s -> s.tag("db.statement")).filter(java.util.Objects::nonNull)
        .map(s -> s.toLowerCase(java.util.Locale.ROOT).replace("\"", "")).toList();
  }

  /** The spans of {@code server}'s trace, one a line (name, id, parent, statement), for failure messages. */
  private String trace(MutableSpan server) {
    return spans.inTrace(server.traceId()).stream()
        .map(s -> s.name() + " " + s.id() + " <- " + s.parentId() + " " + s.tags())
        .collect(Collectors.joining("\n  ", "trace " + server.traceId() + ":\n  ", ""));
  }

  private List<ILoggingEvent> echoLinesWith(String requestId) {
    return logs.of(ECHO).stream().filter(e -> requestId.equals(e.getMDCPropertyMap().get("requestId"))).toList();
  }

  /** Every line carries the request's id and the trace of its server span. */
  private static void assertLinesOf(List<ILoggingEvent> lines, String requestId, MutableSpan server) {
    assertThat(lines).isNotEmpty().allSatisfy(e -> assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage())
        .containsEntry("requestId", requestId).containsEntry("traceId", server.traceId()));
  }

  /** At least {@code count} lines of {@code logger} matching {@code filter}, waiting for them. */
  private List<ILoggingEvent> awaitLines(String logger, Predicate<ILoggingEvent> filter, int count) {
    return await(() -> {
      List<ILoggingEvent> found = logs.of(logger).stream().filter(filter).toList();
      return found.size() >= count ? Optional.of(found) : Optional.empty();
    }, count + " lines of " + logger);
  }

  private static <T> T await(Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      sleep();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    await(() -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), what);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
