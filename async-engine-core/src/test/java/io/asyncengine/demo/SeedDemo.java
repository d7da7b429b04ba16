package io.asyncengine.demo;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.core.Params;
import io.asyncengine.result.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;

/**
 * The demo: create a table, add users, query them, stream them, and run
 * ten queries concurrently, on an embedded SQLite file. Run it with the README's first command.
 */
public final class SeedDemo {

  /** The demo's user model. */
  public record User(long id, String name, String email) {}

  private SeedDemo() {}

  /** Argument: the SQLite file to (re)create; default {@code demo.db}. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "demo.db");
    Files.deleteIfExists(file);
    String url = "jdbc:sqlite:" + file;
    System.out.println("async-engine demo on " + url);

    try (AsyncEngine engine = AsyncEngine.create(url)) {
      // 1. Create the table (engine.begin() in SQLAlchemy: commit on success).
      engine.inTransaction(conn -> conn.execute(
          "create table users (id integer primary key autoincrement, name varchar(50) not null, email varchar(100))"))
          .join();
      System.out.println("1. created table users");

      // 2. Add users in one transaction, as a JDBC batch.
      engine.inTransaction(conn -> conn.executeMany("insert into users(name, email) values (:name, :email)", List.of(
          Params.named(java.util.Map.of("name", "Alice", "email", "alice@example.com")),
          Params.named(java.util.Map.of("name", "Bob", "email", "bob@example.com")),
          Params.named(java.util.Map.of("name", "Charlie", "email", "charlie@example.com")))))
          .join();
      System.out.println("2. added 3 users");

      // 3. Query them, mapped to a record.
      AsyncConnection conn = engine.connect().join();
      List<User> users = conn.execute("select id, name, email from users order by id").join().as(User.class);
      System.out.println("3. queried: " + users);
      User bob = conn.execute("select * from users where name = ?", "Bob").join().one().as(User.class);
      System.out.println("   one(): " + bob);

      // 4. Stream them through a server-side cursor, one row per request(1).
      CompletableFuture<Void> streamed = new CompletableFuture<>();
      conn.stream("select id, name, email from users order by id").subscribe(new Flow.Subscriber<Row>() {
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          s.request(1);
        }

        @Override
        public void onNext(Row row) {
          System.out.println("4. streamed: " + row.as(User.class));
          subscription.request(1);
        }

        @Override
        public void onError(Throwable failure) {
          streamed.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
          streamed.complete(null);
        }
      });
      streamed.join();
      conn.close().join();

      // 5. Ten queries at once, each on its own connection.
      long start = System.nanoTime();
      List<CompletableFuture<Long>> counts = IntStream.range(0, 10)
          .mapToObj(i -> engine.runSync(c -> c.scalar(Long.class, "select count(*) from users where id > ?", i % 3)))
          .toList();
      CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new)).join();
      System.out.printf("5. ran 10 concurrent queries in %.1f ms: %s%n",
          (System.nanoTime() - start) / 1e6, counts.stream().map(CompletableFuture::join).toList());
    }
    System.out.println("done; the database is in " + file.toAbsolutePath());
  }
}
