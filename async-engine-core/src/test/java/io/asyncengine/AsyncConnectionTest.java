package io.asyncengine;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.core.Params;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.result.Result;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;

/** The Connection table of parity.md through the async facade, on every database. */
class AsyncConnectionTest {

  private AsyncEngine engine;

  private AsyncEngine open(TestDatabase db) {
    engine = db.engine();
    Schema.users(engine.sync(), db);
    return engine;
  }

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  @DatabaseTest
  void executeBindsPositionalParametersAndReportsRowCount(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    Result insert = await(conn.execute("insert into users(name, email) values (?, ?)", "ada", "ada@example.com"));
    assertThat(insert.rowCount()).isEqualTo(1);
    Result rows = await(conn.execute("select name, email from users where name = ?", "ada"));
    assertThat(rows.keys()).containsExactly("name", "email");
    assertThat(rows.one().get("email")).isEqualTo("ada@example.com");
    await(conn.close());
  }

  @DatabaseTest
  void executeBindsNamedParametersIncludingRepeatedNames(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.execute("insert into users(name, email) values (:name, :email)",
        Params.named(Map.of("name", "grace", "email", "grace@example.com"))));
    Long count = await(conn.scalar(Long.class,
        "select count(*) from users where name = :n or email = :n or name = :n", Params.named(Map.of("n", "grace"))));
    assertThat(count).isEqualTo(1L);
    await(conn.close());
  }

  @DatabaseTest
  void executeReturnsGeneratedKeysOfAnInsert(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    Result first = await(conn.execute("insert into users(name) values (?)", "a"));
    Result second = await(conn.execute("insert into users(name) values (?)", "b"));
    long firstId = first.generatedKeys().scalarOne(Long.class);
    long secondId = second.generatedKeys().scalarOne(Long.class);
    assertThat(secondId).isGreaterThan(firstId);
    assertThat(await(conn.scalar(String.class, "select name from users where id = ?", secondId))).isEqualTo("b");
    await(conn.close());
  }

  @DatabaseTest
  void executeManyRunsAJdbcBatch(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    List<Params> batch = IntStream.range(0, 50)
        .mapToObj(i -> Params.of("user" + i, "user" + i + "@example.com"))
        .toList();
    int[] counts = await(conn.executeMany("insert into users(name, email) values (?, ?)", batch));
    assertThat(counts).hasSize(50);
    assertThat(await(conn.scalar(Integer.class, "select count(*) from users"))).isEqualTo(50);
    int[] named = await(conn.executeMany("update users set active = :active where name = :name",
        List.of(Params.named(Map.of("active", true, "name", "user1")), Params.named(Map.of("active", true, "name", "user2")))));
    assertThat(named).hasSize(2);
    assertThat(await(conn.scalar(Integer.class, "select count(*) from users where active = ?", true))).isEqualTo(2);
    assertThat(await(conn.executeMany("insert into users(name) values (?)", List.of()))).isEmpty();
    await(conn.close());
  }

  @DatabaseTest
  void scalarAndScalarsConvertTheFirstColumn(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.executeMany("insert into users(name) values (?)", List.of(Params.of("x"), Params.of("y"), Params.of("z"))));
    assertThat(await(conn.scalars(String.class, "select name from users order by name"))).containsExactly("x", "y", "z");
    assertThat(await(conn.scalars(String.class, "select name from users where name <> :n order by name", Params.named(Map.of("n", "y")))))
        .containsExactly("x", "z");
    assertThat(await(conn.scalar(String.class, "select name from users where name = ?", "nobody"))).isNull();
    assertThat(await(conn.scalar(Long.class, "select count(*) from users where name = :n", Params.named(Map.of("n", "x"))))).isEqualTo(1L);
    await(conn.close());
  }

  @DatabaseTest
  void operationsOnOneConnectionRunInSubmissionOrderFromManyThreads(TestDatabase db) throws Exception {
    AsyncConnection conn = await(open(db).connect());
    List<CompletableFuture<Result>> futures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    ConcurrentHashMap<Integer, Integer> submittedOrder = new ConcurrentHashMap<>();
    Object lock = new Object();
    int[] sequence = {0};
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 25; i++) {
          synchronized (lock) { // test-only: makes submission order observable
            int n = sequence[0]++;
            submittedOrder.put(n, n);
            futures.add(conn.execute("insert into users(name) values (?)", "n" + n));
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    List<String> names = await(conn.scalars(String.class, "select name from users order by id"));
    assertThat(names).hasSize(100);
    assertThat(names).isEqualTo(IntStream.range(0, 100).mapToObj(i -> "n" + i).toList());
    await(conn.close());
  }

  @DatabaseTest
  void closeReturnsTheConnectionAndLaterOperationsFailWithResourceClosed(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    await(conn.execute("insert into users(name) values (?)", "kept-uncommitted"));
    await(conn.close());
    assertThat(conn.isClosed()).isTrue();
    assertThat(failure(conn.execute("select 1"))).isInstanceOf(ResourceClosedException.class)
        .hasMessageContaining("closed");
    await(conn.close()); // idempotent
    AsyncConnection other = await(engine.connect());
    assertThat(await(other.scalar(Integer.class, "select count(*) from users"))).isZero();
    await(other.close());
  }

  @DatabaseTest
  void runSyncHandsOutTheBlockingViewOnTheLane(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    String product = await(conn.runSync(sync -> {
      sync.execute("insert into users(name) values (?)", "sync");
      try {
        return sync.jdbc().getMetaData().getDatabaseProductName();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }));
    assertThat(product.toLowerCase()).contains(db == TestDatabase.MARIADB ? "maria" : db.toString());
    assertThat(await(conn.scalar(String.class, "select name from users"))).isEqualTo("sync");
    await(conn.close());
  }

  @DatabaseTest
  void mappingsAndNamedParametersAcceptLinkedMaps(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("name", "m");
    params.put("email", null);
    await(conn.execute("insert into users(name, email) values (:name, :email)", Params.named(params)));
    List<Map<String, Object>> rows = await(conn.execute("select name, email from users")).mappings();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("name", "m").containsEntry("email", null);
    assertThat(rows.get(0).keySet()).containsExactly("name", "email");
    await(conn.close());
  }
}
