package io.asyncengine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session part of the README's API tour, compiled and run. The block between
 * {@code tour:start session} and {@code tour:end} is meant to be copied into {@code ApiTourTest}
 * (whose blocks {@code ReadmeTourTest} matches against README.md) when the README is wired.
 */
class SessionTourTest {

  // tour:start entities
  @Table("users")                                      // default: the class name in snake_case
  record User(@Id Long id, String name, String email) {}  // null/0 integral id: generated

  @Table("accounts")
  static class Account {                               // POJOs work too: setters or fields
    Long id;                                           // a property named id needs no @Id
    String owner;
    long balance;
    @Version long version;                             // optimistic locking
  }
  // tour:end

  @TempDir
  Path dir;

  AsyncEngine engine;

  @BeforeEach
  void createEngine() {
    engine = AsyncEngine.create("jdbc:sqlite:" + dir.resolve("tour.db"));
    engine.runSyncInTransaction(c -> {
      c.execute("create table users (id integer primary key autoincrement, name varchar(50) not null, email varchar(100))");
      c.execute("create table accounts (id integer primary key autoincrement, owner varchar(50), balance bigint, version bigint)");
      return null;
    }).join();
  }

  @AfterEach
  void dispose() {
    engine.close();
  }

  @Test
  void sessionTour() {
    // tour:start session
    AsyncSessionFactory sessions = AsyncSessionFactory.builder(engine)
        .expireOnCommit(true)                          // the defaults, as async_sessionmaker
        .autoflush(true)
        .build();

    // A unit of work: commits when the stage completes, rolls back on failure or cancellation.
    CompletableFuture<User> ada = sessions.inTransaction(session -> {
      User pending = new User(null, "Ada", "ada@example.com");
      session.add(pending);
      return session.flush().thenApply(v -> session.current(pending));  // the record with its id
    });

    try (AsyncSession session = sessions.openSession()) {
      Optional<User> found = session.get(User.class, ada.join().id()).join();  // identity map
      List<User> users = session.scalars(User.class,
          "select * from users where name like ?", "A%").join();       // managed entities
      session.merge(new User(found.get().id(), "Ada L.", "ada@example.com"))  // records: merge a copy
          .thenCompose(merged -> session.commit())                    // flush + commit
          .join();
    }

    // Blocking style on the session's connection, and optimistic locking.
    Account account = sessions.runInTransaction(s -> {
      Account a = new Account();
      a.owner = "Ada";
      a.balance = 100;
      s.add(a);
      s.flush();                                       // INSERT; a.id and a.version = 1 written back
      return a;
    }).join();
    // tour:end
    assertThat(ada.join().id()).isEqualTo(1L);
    assertThat(engine.runSync(c -> c.scalar(String.class, "select name from users")).join()).isEqualTo("Ada L.");
    assertThat(account.id).isEqualTo(1L);
    assertThat(account.version).isEqualTo(1L);
  }
}
