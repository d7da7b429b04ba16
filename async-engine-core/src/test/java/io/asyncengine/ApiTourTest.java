package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.core.Params;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.options.ExecutionOptions;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's API tour. Each block between {@code tour:start} and {@code tour:end} is copied
 * verbatim into README.md ({@link ReadmeTourTest} checks they match), so every snippet there is
 * compiled and run here.
 */
class ApiTourTest {

  record User(long id, String name, String email) {}

  @TempDir
  Path dir;

  AsyncEngine engine;

  @BeforeEach
  void createEngine() {
    String jdbcUrl = "jdbc:sqlite:" + dir.resolve("tour.db");
    // tour:start engine
    AsyncEngine engine = AsyncEngine.builder()
        .url(jdbcUrl)                       // HikariCP pool; or .dataSource(existingPool)
        .maxPoolSize(10)
        .statementTimeout(Duration.ofSeconds(30))
        .echo(false)                        // true logs SQL, parameters and time on io.asyncengine.sql
        .build();
    // tour:end
    this.engine = engine;
    engine.inTransaction(conn -> conn.execute(
        "create table users (id integer primary key autoincrement, name varchar(50) not null, email varchar(100) unique)"))
        .join();
  }

  @AfterEach
  void dispose() {
    engine.close();
  }

  @Test
  void transactionsAndQueries() {
    // tour:start transaction
    // Commits when the stage completes, rolls back if it fails or is cancelled.
    CompletableFuture<Long> id = engine.inTransaction(conn ->
        conn.execute("insert into users(name, email) values (?, ?)", "Ada", "ada@example.com")
            .thenApply(result -> result.generatedKeys().scalarOne(Long.class)));

    // Named parameters, and a JDBC batch for many parameter sets; runs concurrently with the above.
    CompletableFuture<int[]> batch = engine.inTransaction(conn -> conn.executeMany(
        "insert into users(name, email) values (:name, :email)",
        List.of(Params.named(Map.of("name", "Bob", "email", "bob@example.com")),
                Params.named(Map.of("name", "Cy", "email", "cy@example.com")))));
    // tour:end
    assertThat(id.join()).isPositive();
    assertThat(batch.join()).hasSize(2);

    // tour:start query
    CompletableFuture<List<User>> users = engine.connect().thenCompose(conn ->
        conn.execute("select id, name, email from users order by id")
            .thenApply(result -> result.as(User.class))     // records or POJOs, by column label
            .whenComplete((ok, failure) -> conn.close()));

    CompletableFuture<Long> count = engine.runSync(conn ->  // blocking style, on the connection's thread
        conn.scalar(Long.class, "select count(*) from users where name like ?", "%a%"));
    // tour:end
    assertThat(users.join()).extracting(User::name).containsExactlyInAnyOrder("Ada", "Bob", "Cy");
    assertThat(count.join()).isEqualTo(1L);
  }

  @Test
  void streamingAndSavepoints() throws Exception {
    engine.runSyncInTransaction(c -> c.execute("insert into users(name) values ('a'), ('b'), ('c')")).join();
    AsyncConnection conn = engine.connect().join();
    AtomicInteger seen = new AtomicInteger();
    // tour:start stream
    // A server-side cursor that honours request(n); cancelling the subscription closes it.
    Flow.Publisher<Row> rows = conn.stream("select id, name from users order by id");
    rows.subscribe(new Flow.Subscriber<Row>() {
      Flow.Subscription subscription;
      public void onSubscribe(Flow.Subscription s) { subscription = s; s.request(100); }
      public void onNext(Row row) { seen.incrementAndGet(); }
      public void onError(Throwable failure) { failure.printStackTrace(); }
      public void onComplete() { System.out.println("streamed " + seen.get() + " rows"); }
    });
    // Reactor: Flux.from(FlowAdapters.toPublisher(rows)); Kotlin: rows.asFlow()

    // Typed rows, the fastest way to stream: each column read with its typed getter
    // (getLong, getString...) straight into the record, no Row in between.
    record UserName(long id, String name) {}
    Flow.Publisher<UserName> users = conn.stream(UserName.class, "select id, name from users order by id");
    // Or a hand-written mapper over the ResultSet, as Spring's RowMapper (it runs on the lane).
    Flow.Publisher<String> names = conn.stream(rs -> rs.getString(2), "select id, name from users");
    // tour:end
    conn.execute("select 1").join();
    assertThat(seen.get()).isEqualTo(3);
    assertThat(drain(users)).extracting(UserName::name).containsExactly("a", "b", "c");
    assertThat(drain(names)).containsExactlyInAnyOrder("a", "b", "c");
    conn.rollback().join(); // the reads above autobegan a transaction; begin() below wants none

    // tour:start savepoint
    conn.begin()
        .thenCompose(tx -> conn.execute("insert into users(name) values (?)", "kept")
            .thenCompose(r -> conn.beginNested())                    // SAVEPOINT
            .thenCompose(savepoint -> conn.execute("insert into users(name) values (?)", "undone")
                .thenCompose(r -> savepoint.rollback()))             // ROLLBACK TO SAVEPOINT
            .thenCompose(r -> tx.commit()))
        .join();
    // tour:end
    assertThat(conn.scalars(String.class, "select name from users where name in ('kept', 'undone')").join())
        .containsExactly("kept");
    conn.close().join();
  }

  @Test
  void errorsAndOptions() {
    engine.runSyncInTransaction(c -> c.execute("insert into users(name, email) values ('Ada', 'ada@example.com')")).join();
    String outcome;
    // tour:start errors
    try {
      engine.inTransaction(conn ->
          conn.execute("insert into users(name, email) values (?, ?)", "Eve", "ada@example.com")).join();
      outcome = "inserted";
    } catch (CompletionException e) {
      // IntegrityViolationException, ProgrammingException, StatementTimeoutException, ...:
      // each names the problem, the SQL, SQLState and vendor code; values only with echo(true).
      outcome = e.getCause() instanceof IntegrityViolationException ? "duplicate email" : "other";
    }

    AsyncEngine serializable = engine.withOptions(ExecutionOptions.defaults()
        .withIsolation(IsolationLevel.SERIALIZABLE)
        .withReadOnly(true));   // same pool; these two override, the engine's other options stay
    // tour:end
    assertThat(outcome).isEqualTo("duplicate email");
    assertThat(serializable.runSync(c -> c.isolationLevel()).join()).isEqualTo(IsolationLevel.SERIALIZABLE);
  }

  /** Every item of {@code publisher}, requested all at once. */
  private static <T> List<T> drain(Flow.Publisher<T> publisher) {
    List<T> items = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<T>() {
      public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
      public void onNext(T item) { items.add(item); }
      public void onError(Throwable failure) { done.completeExceptionally(failure); }
      public void onComplete() { done.complete(List.copyOf(items)); }
    });
    return done.join();
  }
}
