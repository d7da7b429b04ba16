package io.asyncengine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.ObjectMapper;

/**
 * The sample over real HTTP, on the database of the concrete subclass: every endpoint and its
 * errors, problem bodies field by field, hostile strings, the stream's memory and cancellation,
 * concurrent transfers, the stats deadline and the actuator endpoints. Each test starts from empty
 * {@code sample_*} tables.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.stats.deadline=2s")
@Import(SampleAppTests.Probe.class)
abstract class SampleAppTests {

  /** Words that must never appear in a problem body: SQL, stack traces, driver and class names. */
  private static final List<String> LEAKS = List.of("select ", "insert ", "update ", "delete from", "sql",
      "exception", "\tat ", "org.", "java.", "sqlite", "postgres", "psql", "mariadb", "duplicate key",
      "sample_", "secret_column", "pg_sleep", "hikari", "jdbc");

  @TestConfiguration(proxyBeanMethods = false)
  static class Probe {
    @Bean
    ProbeQuery probeQuery() {
      return new ProbeQuery();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  AsyncEngine engine;

  @Autowired
  ObjectMapper json;

  @Autowired
  MeterRegistry registry;

  @Autowired
  ProbeQuery probe;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** A statement that runs for a minute or more unless cancelled. */
  abstract String sleepSql();

  /** SQL inserting {@code count} users named {@code prefix-<n>-<100 characters>}. */
  abstract String insertUsersSql(int count, String prefix);

  /** How many statements containing {@code fragment} are running (or holding a cursor) on the server. */
  abstract long statementsRunning(String fragment);

  @BeforeEach
  void emptyTables() {
    probe.mode.set(ProbeQuery.Mode.IDLE);
    probe.sleepSql.set(sleepSql());
    Await.result(engine.runSyncInTransaction(c -> {
      c.execute("delete from sample_transfers");
      c.execute("delete from sample_accounts");
      c.execute("delete from sample_users");
      return null;
    }));
  }

  @AfterEach
  void nothingLeftOut() {
    awaitTrue(() -> engine.gateStats().inUse() == 0, "every connection back");
  }

  // ---------------------------------------------------------------- users

  @Test
  void userLifecycle() throws Exception {
    HttpResponse<String> created = send("POST", "/api/users", Map.of("name", "Ada", "email", "ada@example.com"));
    assertThat(created.statusCode()).isEqualTo(201);
    Map<String, Object> ada = body(created);
    long id = ((Number) ada.get("id")).longValue();
    assertThat(ada).containsEntry("name", "Ada").containsEntry("email", "ada@example.com").containsEntry("version", 1);
    assertThat(created.headers().firstValue("Location")).hasValue("http://localhost:" + port + "/api/users/" + id);
    assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

    HttpResponse<String> read = send("GET", "/api/users/" + id, null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(body(read)).isEqualTo(ada);
    assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");

    Map<String, Object> change = Map.of("name", "Ada Lovelace", "email", "ada@example.com");
    assertProblem(send("PUT", "/api/users/" + id, change), 428, "if-match-required", "Precondition required",
        "Send If-Match with the user's ETag to change it.", "/api/users/" + id);
    HttpResponse<String> updated = send("PUT", "/api/users/" + id, change, "If-Match", "\"1\"");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(body(updated)).containsEntry("name", "Ada Lovelace").containsEntry("version", 2);
    assertThat(updated.headers().firstValue("ETag")).hasValue("\"2\"");
    String stale = "If-Match does not name the user's current version; read it again and retry.";
    assertProblem(send("PUT", "/api/users/" + id, change, "If-Match", "\"1\""), 412, "stale-version",
        "Precondition failed", stale, "/api/users/" + id);
    assertProblem(send("DELETE", "/api/users/" + id, null, "If-Match", "\"1\""), 412, "stale-version",
        "Precondition failed", stale, "/api/users/" + id);
    assertProblem(send("PUT", "/api/users/" + id, change, "If-Match", "W/\"2\""), 412, "stale-version",
        "Precondition failed", stale, "/api/users/" + id);
    assertThat(body(send("GET", "/api/users/" + id, null))).containsEntry("name", "Ada Lovelace");

    assertThat(send("DELETE", "/api/users/" + id, null, "If-Match", "\"2\"").statusCode()).isEqualTo(204);
    assertProblem(send("GET", "/api/users/" + id, null), 404, "not-found", "Not found", "No user has this id.",
        "/api/users/" + id);
    assertProblem(send("DELETE", "/api/users/" + id, null), 404, "not-found", "Not found", "No user has this id.",
        "/api/users/" + id);
    assertProblem(send("PUT", "/api/users/" + id, change, "If-Match", "\"2\""), 404, "not-found", "Not found",
        "No user has this id.", "/api/users/" + id);
    // A PUT to an unknown id creates nothing.
    assertThat(count("sample_users")).isZero();
  }

  @Test
  void duplicateEmailIsAConflict() throws Exception {
    assertThat(send("POST", "/api/users", Map.of("name", "Ada", "email", "ada@example.com")).statusCode()).isEqualTo(201);
    HttpResponse<String> bob = send("POST", "/api/users", Map.of("name", "Bob", "email", "bob@example.com"));
    assertProblem(send("POST", "/api/users", Map.of("name", "Eve", "email", "ada@example.com")), 409,
        "duplicate-email", "Conflict", "Another user already has this email.", "/api/users");
    long bobId = ((Number) body(bob).get("id")).longValue();
    assertProblem(send("PUT", "/api/users/" + bobId, Map.of("name", "Bob", "email", "ada@example.com"), "If-Match", "*"),
        409, "duplicate-email", "Conflict", "Another user already has this email.", "/api/users/" + bobId);
    assertThat(body(send("GET", "/api/users/" + bobId, null))).containsEntry("email", "bob@example.com");
    assertThat(count("sample_users")).isEqualTo(2);
  }

  @Test
  void concurrentUpdatesNeverLoseOneSilently() throws Exception {
    long id = ((Number) body(send("POST", "/api/users", Map.of("name", "Ada", "email", "ada@example.com"))).get("id")).longValue();
    int writers = 16;
    ConcurrentLinkedQueue<HttpResponse<String>> responses = new ConcurrentLinkedQueue<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String name = "writer " + i;
        // If-Match: * passes the precondition, so the session's version guard is what stops a lost update.
        done.add(clients.submit(() -> responses.add(send("PUT", "/api/users/" + id,
            Map.of("name", name, "email", "ada@example.com"), "If-Match", "*"))));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    }
    int applied = 0;
    for (HttpResponse<String> response : responses) {
      switch (response.statusCode()) {
        case 200 -> applied++;
        case 409 -> assertProblem(response, 409, "stale-version", "Conflict",
            "The resource was changed by another request; read it again and retry.", "/api/users/" + id);
        // SQLite refuses a write from a transaction whose snapshot is older than the last commit.
        case 503 -> assertProblem(response, 503, "unavailable", "Service unavailable",
            "The database did not answer in time; retry later.", "/api/users/" + id);
        default -> throw new AssertionError(response.statusCode() + " " + response.body());
      }
    }
    System.out.printf("%d concurrent PUTs of one user: %d applied, the rest refused%n", writers, applied);
    assertThat(applied).isPositive();
    // Every 200 is one UPDATE of the version it read: none was overwritten unseen.
    assertThat(body(send("GET", "/api/users/" + id, null))).containsEntry("version", 1 + applied);
  }

  @Test
  void listIsPagedAndSortedByWhitelistedFields() throws Exception {
    for (String name : List.of("Carol", "Ada", "Eve", "Bob", "Dan")) {
      send("POST", "/api/users", Map.of("name", name, "email", name.toLowerCase(Locale.ROOT) + "@example.com"));
    }
    Map<String, Object> page = body(send("GET", "/api/users?page=1&size=2&sort=name,desc", null));
    assertThat(page).containsEntry("page", 1).containsEntry("size", 2).containsEntry("total", 5)
        .containsEntry("sort", "name,desc");
    assertThat(names(page)).containsExactly("Carol", "Bob");
    assertThat(names(body(send("GET", "/api/users?sort=email", null)))).containsExactly("Ada", "Bob", "Carol", "Dan", "Eve");
    assertThat(names(body(send("GET", "/api/users", null)))).containsExactly("Carol", "Ada", "Eve", "Bob", "Dan");
    assertThat(names(body(send("GET", "/api/users?page=3&size=2", null)))).isEmpty();

    String badSort = "sort must be one of id, name, email, optionally followed by ,asc or ,desc.";
    for (String sort : List.of("password", "name,sideways", "name desc; drop table sample_users", "id,asc,x", "(select 1)")) {
      assertProblem(send("GET", "/api/users?sort=" + URLEncoder.encode(sort, StandardCharsets.UTF_8), null), 400,
          "bad-sort", "Invalid request", badSort, "/api/users");
    }
    HttpResponse<String> tooBig = send("GET", "/api/users?size=1000", null);
    assertProblem(tooBig, 400, "validation", "Bad Request", "The request has invalid parameters.", "/api/users");
    assertThat(body(tooBig).get("errors")).isEqualTo(List.of(Map.of("field", "size", "message", "must be less than or equal to 100")));
    assertProblem(send("GET", "/api/users?page=-1", null), 400, "validation", "Bad Request",
        "The request has invalid parameters.", "/api/users");
    assertProblem(send("GET", "/api/users?page=x", null), 400, "type-mismatch", "Bad Request",
        "Parameter 'page' has the wrong type.", "/api/users");
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    HttpResponse<String> invalid = send("POST", "/api/users", Map.of("name", " ", "email", "not-an-email"));
    assertProblem(invalid, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/users");
    assertThat(body(invalid).get("errors")).isEqualTo(List.of(
        Map.of("field", "email", "message", "must be a well-formed email address"),
        Map.of("field", "name", "message", "must not be blank")));
    HttpResponse<String> missing = sendRaw("POST", "/api/users", "{}", "application/json");
    assertThat(body(missing).get("errors")).isEqualTo(List.of(
        Map.of("field", "email", "message", "must not be blank"),
        Map.of("field", "name", "message", "must not be blank")));
    String unreadable = "The request body is not valid JSON or does not have the expected shape.";
    for (String bad : List.of("{\"name\": ", "[1, 2]", "{\"name\": {\"x\": 1}, \"email\": \"a@b.c\"}", "",
        "{\"name\": \"'; drop table sample_users; --\", \"email\": }")) {
      assertProblem(sendRaw("POST", "/api/users", bad, "application/json"), 400, "unreadable-body", "Bad Request",
          unreadable, "/api/users");
    }
    assertProblem(send("GET", "/api/users/abc", null), 400, "type-mismatch", "Bad Request",
        "Parameter 'id' has the wrong type.", "/api/users/abc");
    assertProblem(send("GET", "/api/users/%27%3B%20drop%20table%20sample_users", null), 400, "type-mismatch",
        "Bad Request", "Parameter 'id' has the wrong type.", null);
    assertProblem(send("GET", "/api/nothing-here", null), 404, "not-found", "Not Found",
        "There is nothing at this path.", "/api/nothing-here");
    assertProblem(send("GET", "/error", null), 404, "not-found", "Not Found", "There is nothing at this path.", "/error");
    assertProblem(send("PATCH", "/api/users/1", Map.of("name", "x")), 405, "http-405", "Method Not Allowed",
        "Method Not Allowed.", "/api/users/1");
    assertProblem(sendRaw("POST", "/api/users", "name=x", "text/plain"), 415, "http-415", "Unsupported Media Type",
        "Unsupported Media Type.", "/api/users");
    assertThat(count("sample_users")).isZero();
  }

  // ------------------------------------------------------------- hostile input

  @Test
  void hostileStringsAreStoredVerbatimOrRejected() throws Exception {
    List<String> verbatim = List.of(
        "O'Brien \"the\" `quoted` \\ backslash",
        "'; drop table sample_users; --",
        "Robert'); DELETE FROM sample_accounts; --",
        "%_ like wildcards %",
        "emoji 👩‍💻🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "\u202Eright-to-left override\u202C and mark \u200F here",
        "<script>alert(1)</script>",
        "x".repeat(200));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < verbatim.size(); i++) {
      HttpResponse<String> created = send("POST", "/api/users", Map.of("name", verbatim.get(i), "email", "h" + i + "@example.org"));
      assertThat(created.statusCode()).as(verbatim.get(i)).isEqualTo(201);
      long id = ((Number) body(created).get("id")).longValue();
      ids.add(id);
      assertThat(body(send("GET", "/api/users/" + id, null))).containsEntry("name", verbatim.get(i));
      HttpResponse<String> account = send("POST", "/api/accounts", Map.of("owner", verbatim.get(i), "balance", 5));
      assertThat(account.statusCode()).isEqualTo(201);
      assertThat(body(send("GET", URI.create(account.headers().firstValue("Location").orElseThrow()).getPath(), null)))
          .containsEntry("owner", verbatim.get(i));
    }
    // Updated verbatim too, and streamed verbatim.
    String renamed = "'\"; update sample_users set name = 'pwned' --\u200F👍";
    assertThat(body(send("PUT", "/api/users/" + ids.get(0), Map.of("name", renamed, "email", "h0@example.org"),
        "If-Match", "\"1\""))).containsEntry("name", renamed);
    List<String> streamed = streamLines().stream().map(line -> (String) parse(line).get("name")).toList();
    List<String> expected = new ArrayList<>(verbatim);
    expected.set(0, renamed);
    assertThat(streamed).containsExactlyElementsOf(expected);

    List<String> rejected = List.of("nul \u0000 inside", "x".repeat(10_000), "bell \u0007", "y".repeat(1_000_000));
    for (String value : rejected) {
      HttpResponse<String> user = send("POST", "/api/users", Map.of("name", value, "email", "r@example.org"));
      assertProblem(user, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/users");
      assertThat(user.body()).doesNotContain(value.substring(0, 5));
      HttpResponse<String> account = send("POST", "/api/accounts", Map.of("owner", value, "balance", 1));
      assertProblem(account, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/accounts");
      HttpResponse<String> email = send("POST", "/api/users", Map.of("name", "n", "email", value + "@example.org"));
      assertProblem(email, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/users");
    }
    for (String id : List.of("'; drop table sample_transfers; --", "a b", "x".repeat(65), "ü", "nul\u0000")) {
      HttpResponse<String> transfer = send("POST", "/api/transfers",
          Map.of("transferId", id, "fromAccount", 1, "toAccount", 2, "amount", 1));
      assertProblem(transfer, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/transfers");
      assertThat(body(transfer).get("errors")).asString().contains("transferId");
    }
    // A hostile email is either a valid address, stored verbatim, or rejected.
    String quotedLocal = "\"'; drop table sample_users; --\"@example.org";
    HttpResponse<String> odd = send("POST", "/api/users", Map.of("name", "odd", "email", quotedLocal));
    if (odd.statusCode() == 201) {
      assertThat(body(odd)).containsEntry("email", quotedLocal);
    } else {
      assertProblem(odd, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/users");
    }
    assertThat(count("sample_users")).isEqualTo(verbatim.size() + (odd.statusCode() == 201 ? 1 : 0));
    assertThat(count("sample_accounts")).isEqualTo(verbatim.size());
    assertThat(count("sample_transfers")).isZero();
  }

  // ------------------------------------------------------------------ stream

  @Test
  void streamIsNdjsonInIdOrder() throws Exception {
    assertThat(streamLines()).isEmpty();
    for (String name : List.of("Ada", "Bob", "Carol")) {
      send("POST", "/api/users", Map.of("name", name, "email", name + "@example.com"));
    }
    HttpResponse<String> response = http.send(request("GET", "/api/users/stream", null)
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
    List<Map<String, Object>> rows = response.body().lines().map(this::parse).toList();
    assertThat(rows).extracting(r -> r.get("name")).containsExactly("Ada", "Bob", "Carol");
    assertThat(rows).extracting(r -> ((Number) r.get("id")).longValue()).isSorted();
    assertThat(rows.get(0)).containsOnlyKeys("id", "name", "email", "version");
  }

  @Test
  void aSlowClientReads100000RowsWithFlatServerMemory() throws Exception {
    int rows = 100_000;
    Await.result(engine.runSyncInTransaction(c -> c.execute(insertUsersSql(rows, "slow"))));
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    long maxGrowth = 0;
    long bytes = 0;
    int read = 0;
    long previousId = 0;
    HttpResponse<InputStream> response = http.send(request("GET", "/api/users/stream", null).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        read++;
        bytes += line.length() + 1;
        if (read % 1000 == 0) {
          long id = ((Number) parse(line).get("id")).longValue();
          assertThat(id).isGreaterThan(previousId);
          previousId = id;
          Thread.sleep(10); // a slow client: the server must wait, not buffer
        }
        if (read % 10_000 == 0) {
          System.gc();
          maxGrowth = Math.max(maxGrowth, memory.getHeapMemoryUsage().getUsed() - baseline);
        }
      }
    }
    assertThat(read).isEqualTo(rows);
    System.out.printf("stream of %,d rows (%,d bytes of NDJSON): server heap growth at most %,d bytes (%.1f MiB)%n",
        read, bytes, maxGrowth, maxGrowth / 1048576.0);
    // Buffering the rows would take several times the NDJSON size; streaming holds a batch.
    assertThat(maxGrowth).as("heap growth while streaming").isLessThan(bytes / 2);
  }

  @Test
  void aClientThatDisconnectsCancelsTheCursor() throws Exception {
    Await.result(engine.runSyncInTransaction(c -> c.execute(insertUsersSql(100_000, "gone"))));
    Timer cancelled = registry.find("asyncengine.operations").tag("kind", "connection.stream").tag("outcome", "cancelled").timer();
    long cancelledBefore = cancelled == null ? 0 : cancelled.count();
    try (Socket socket = new Socket("localhost", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/users/stream HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      byte[] buffer = new byte[512];
      while (seen.toString().split("\"id\":", -1).length <= 10) {
        int n = in.read(buffer);
        assertThat(n).as("the stream ended before 10 rows").isPositive();
        seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(seen.toString()).startsWith("HTTP/1.1 200");
    }
    awaitTrue(() -> engine.gateStats().inUse() == 0, "the stream's connection returned");
    awaitTrue(() -> statementsRunning("from sample_users order by id") == 0, "no cursor left on the server");
    awaitTrue(() -> {
      Timer t = registry.find("asyncengine.operations").tag("kind", "connection.stream").tag("outcome", "cancelled").timer();
      return t != null && t.count() > cancelledBefore;
    }, "the stream counted as cancelled");
    // The application still answers and streams.
    assertThat(send("GET", "/api/stats", null).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------- stats

  @Test
  void statsFanOut() throws Exception {
    send("POST", "/api/users", Map.of("name", "Ada", "email", "ada@example.com"));
    send("POST", "/api/accounts", Map.of("owner", "Ada", "balance", 70));
    send("POST", "/api/accounts", Map.of("owner", "Bob", "balance", 30));
    Map<String, Object> stats = body(send("GET", "/api/stats", null));
    assertThat(stats).containsEntry("users", 1).containsEntry("accounts", 2).containsEntry("totalBalance", 100)
        .containsEntry("transfers", 0).containsEntry("probe", 0).containsKey("elapsedMs");
  }

  @Test
  void statsPastTheDeadlineIs503AndLeavesNothingRunning() throws Exception {
    probe.mode.set(ProbeQuery.Mode.SLEEP);
    long start = System.nanoTime();
    HttpResponse<String> response = send("GET", "/api/stats", null);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertProblem(response, 503, "unavailable", "Service unavailable",
        "The database did not answer in time; retry later.", "/api/stats");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(elapsedMs).as("answered after the 2 s deadline, long before the statement's end").isLessThan(50_000);
    probe.mode.set(ProbeQuery.Mode.IDLE);
    awaitTrue(() -> engine.gateStats().inUse() == 0, "every connection back");
    String fragment = sleepSql().substring(0, Math.min(15, sleepSql().length()));
    awaitTrue(() -> statementsRunning(fragment) == 0, "the sleeping statement stopped on the server");
    assertThat(send("GET", "/api/stats", null).statusCode()).isEqualTo(200);
  }

  @Test
  void databaseErrorsAre500WithoutInternals() throws Exception {
    probe.mode.set(ProbeQuery.Mode.BROKEN);
    assertProblem(send("GET", "/api/stats", null), 500, "database-error", "Database error",
        "The database could not complete the request.", "/api/stats");
  }

  // ------------------------------------------------------- accounts, transfers

  @Test
  void transfersMoveMoneyOnceAndNeverBelowZero() throws Exception {
    HttpResponse<String> a = send("POST", "/api/accounts", Map.of("owner", "Ada", "balance", 100));
    assertThat(a.statusCode()).isEqualTo(201);
    long ada = ((Number) body(a).get("id")).longValue();
    assertThat(a.headers().firstValue("Location")).hasValue("http://localhost:" + port + "/api/accounts/" + ada);
    long bob = ((Number) body(send("POST", "/api/accounts", Map.of("owner", "Bob", "balance", 0))).get("id")).longValue();

    Map<String, Object> t1 = Map.of("transferId", "t-1", "fromAccount", ada, "toAccount", bob, "amount", 30);
    HttpResponse<String> first = send("POST", "/api/transfers", t1);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("Location")).hasValue("http://localhost:" + port + "/api/transfers/t-1");
    assertThat(body(first)).isEqualTo(Map.of("transferId", "t-1", "fromAccount", (int) ada, "toAccount", (int) bob, "amount", 30));
    HttpResponse<String> again = send("POST", "/api/transfers", t1);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(body(send("GET", "/api/transfers/t-1", null))).isEqualTo(body(first));
    assertThat(balance(ada)).isEqualTo(70);
    assertThat(balance(bob)).isEqualTo(30);

    assertProblem(send("POST", "/api/transfers", Map.of("transferId", "t-1", "fromAccount", ada, "toAccount", bob, "amount", 31)),
        409, "transfer-id-reused", "Conflict", "This transferId was already used for a different transfer.", "/api/transfers");
    assertProblem(send("POST", "/api/transfers", Map.of("transferId", "t-2", "fromAccount", ada, "toAccount", bob, "amount", 71)),
        422, "insufficient-funds", "Insufficient funds", "The debited account's balance is lower than the amount.",
        "/api/transfers");
    assertProblem(send("GET", "/api/transfers/t-2", null), 404, "not-found", "Not found", "No transfer has this id.",
        "/api/transfers/t-2");
    assertProblem(send("POST", "/api/transfers", Map.of("transferId", "t-3", "fromAccount", ada, "toAccount", 999_999, "amount", 1)),
        404, "not-found", "Not found", "No account has this id.", "/api/transfers");
    assertProblem(send("POST", "/api/transfers", Map.of("transferId", "t-4", "fromAccount", 999_999, "toAccount", ada, "amount", 1)),
        404, "not-found", "Not found", "No account has this id.", "/api/transfers");
    assertProblem(send("POST", "/api/transfers", Map.of("transferId", "t-5", "fromAccount", ada, "toAccount", ada, "amount", 1)),
        422, "same-account", "Unprocessable transfer", "fromAccount and toAccount must differ.", "/api/transfers");
    HttpResponse<String> invalid = send("POST", "/api/transfers", Map.of("transferId", "t-6", "fromAccount", ada, "amount", -5));
    assertProblem(invalid, 400, "validation", "Bad Request", "The request has invalid fields.", "/api/transfers");
    assertThat(body(invalid).get("errors")).isEqualTo(List.of(
        Map.of("field", "amount", "message", "must be greater than 0"),
        Map.of("field", "toAccount", "message", "must not be null")));
    assertProblem(send("POST", "/api/accounts", Map.of("owner", "Eve", "balance", -1)), 400, "validation", "Bad Request",
        "The request has invalid fields.", "/api/accounts");
    assertProblem(send("GET", "/api/accounts/999999", null), 404, "not-found", "Not found", "No account has this id.",
        "/api/accounts/999999");

    assertThat(balance(ada)).isEqualTo(70);
    assertThat(balance(bob)).isEqualTo(30);
    assertThat(count("sample_transfers")).isEqualTo(1);
  }

  @Test
  void concurrentTransfersConserveTheTotal() throws Exception {
    int accounts = 10;
    long opening = 1_000;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      ids.add(((Number) body(send("POST", "/api/accounts", Map.of("owner", "acct" + i, "balance", opening))).get("id")).longValue());
    }
    int transfers = 1_000;
    Random random = new Random(42);
    List<Map<String, Object>> requests = new ArrayList<>();
    for (int i = 0; i < transfers; i++) {
      int from = random.nextInt(accounts);
      int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
      requests.add(Map.of("transferId", "c-" + i, "fromAccount", ids.get(from), "toAccount", ids.get(to),
          "amount", 1 + random.nextInt(300)));
    }
    Map<Integer, Integer> statuses = new HashMap<>();
    ConcurrentLinkedQueue<Integer> codes = new ConcurrentLinkedQueue<>();
    Semaphore inFlight = new Semaphore(64);
    long start = System.nanoTime();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < transfers; i++) {
        Map<String, Object> transfer = requests.get(i);
        boolean resend = i % 10 == 0; // a client that retries: the second POST must not move money again
        done.add(clients.submit(() -> {
          inFlight.acquire();
          try {
            int code = send("POST", "/api/transfers", transfer).statusCode();
            codes.add(code);
            if (resend) {
              int repeat = send("POST", "/api/transfers", transfer).statusCode();
              if (code == 201) {
                assertThat(repeat).isEqualTo(200); // done once, answered again
              } else {
                // A refused transfer left no trace: its retry is a new attempt, which may now succeed.
                assertThat(repeat).isIn(201, 422);
                codes.add(repeat);
              }
            }
          } finally {
            inFlight.release();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    codes.forEach(c -> statuses.merge(c, 1, Integer::sum));
    assertThat(statuses.keySet()).isSubsetOf(201, 422);
    long total = 0;
    Map<Long, Long> expected = new HashMap<>();
    ids.forEach(id -> expected.put(id, opening));
    for (Map<String, Object> row : Await.result(engine.runSync(c ->
        c.execute("select from_account, to_account, amount from sample_transfers").mappings()))) {
      long amount = ((Number) row.get("amount")).longValue();
      expected.merge(((Number) row.get("from_account")).longValue(), -amount, Long::sum);
      expected.merge(((Number) row.get("to_account")).longValue(), amount, Long::sum);
    }
    for (long id : ids) {
      long balance = balance(id);
      assertThat(balance).as("account %d", id).isNotNegative().isEqualTo(expected.get(id));
      total += balance;
    }
    assertThat(total).isEqualTo(accounts * opening);
    assertThat(count("sample_transfers")).isEqualTo((long) statuses.getOrDefault(201, 0));
    System.out.printf("%,d concurrent transfers (and %d retried POSTs) over %d accounts in %,d ms: statuses %s; "
        + "total %,d before and after%n", transfers, transfers / 10, accounts, elapsedMs, statuses, total);
  }

  // ---------------------------------------------------------------- actuator

  @Test
  void actuatorExposesHealthInfoMetricsAndPrometheusOnly() throws Exception {
    Map<String, Object> health = body(send("GET", "/actuator/health", null));
    assertThat(health).containsEntry("status", "UP");
    assertThat(health.get("components")).asString().contains("asyncEngine");
    Map<String, Object> readiness = body(send("GET", "/actuator/health/readiness", null));
    assertThat(readiness).containsEntry("status", "UP");
    assertThat(readiness.get("components")).asString().contains("asyncEngine").contains("readinessState");
    assertThat(body(send("GET", "/actuator/health/liveness", null))).containsEntry("status", "UP");
    assertThat(send("GET", "/actuator/info", null).body()).contains("async-engine sample");
    assertThat(send("GET", "/actuator/metrics", null).body()).contains("asyncengine.operations");

    send("POST", "/api/users", Map.of("name", "Ada", "email", "ada@example.com"));
    String prometheus = send("GET", "/actuator/prometheus", null).body();
    assertThat(prometheus).contains("asyncengine_operations_seconds_count{", "asyncengine_gate_max",
        "asyncengine_connections_acquire_seconds", "hikaricp_connections_active", "hikaricp_connections_acquire_seconds");
    for (String hidden : List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "mappings", "shutdown")) {
      assertThat(send("GET", "/actuator/" + hidden, null).statusCode()).as(hidden).isEqualTo(404);
    }
  }

  // ----------------------------------------------------------------- helpers

  private HttpRequest.Builder request(String method, String path, @org.jspecify.annotations.Nullable String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofMinutes(2));
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Content-Type", "application/json");
  }

  HttpResponse<String> send(String method, String path, @org.jspecify.annotations.Nullable Map<String, ?> body,
      String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(method, path, body == null ? null : json.writeValueAsString(body));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> sendRaw(String method, String path, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofMinutes(1))
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Content-Type", contentType).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private List<String> streamLines() throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", "/api/users/stream", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().lines().toList();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> parse(String text) {
    return json.readValue(text, Map.class);
  }

  private Map<String, Object> body(HttpResponse<String> response) {
    return parse(response.body());
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> page) {
    return ((List<Map<String, Object>>) page.get("items")).stream().map(u -> (String) u.get("name")).toList();
  }

  private long balance(long account) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", "/api/accounts/" + account, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return ((Number) body(response).get("balance")).longValue();
  }

  long count(String table) {
    Number n = Await.result(engine.runSync(c -> c.execute("select count(*) from " + table).scalar(Number.class)));
    return n == null ? 0 : n.longValue();
  }

  /**
   * Checks an RFC 9457 problem field by field, and that it holds nothing of the server's inside:
   * no SQL, stack trace, driver or class name, table name. A null {@code instance} is only checked
   * to be present.
   */
  private void assertProblem(HttpResponse<String> response, int status, String code, String title, String detail,
      @org.jspecify.annotations.Nullable String instance) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    Map<String, Object> problem = body(response);
    assertThat(problem.get("type")).isEqualTo("urn:asyncengine:sample:problem:" + code);
    assertThat(problem.get("title")).isEqualTo(title);
    assertThat(problem.get("status")).isEqualTo(status);
    assertThat(problem.get("detail")).isEqualTo(detail);
    if (instance != null) {
      assertThat(problem.get("instance")).isEqualTo(instance);
    } else {
      assertThat(problem).containsKey("instance");
    }
    assertThat(problem.keySet()).isSubsetOf("type", "title", "status", "detail", "instance", "errors");
    String lower = response.body().toLowerCase(Locale.ROOT);
    String withoutInstance = lower.replace(String.valueOf(problem.get("instance")).toLowerCase(Locale.ROOT), "");
    for (String leak : LEAKS) {
      assertThat(withoutInstance).as("problem body leaks '%s'", leak).doesNotContain(leak);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
