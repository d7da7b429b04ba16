package io.asyncengine.dialect;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.core.Params;
import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.DatabaseException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data values reach the engine's exception messages only with {@code echo(true)}: with echo off
 * the values the databases repeat in their own messages (PostgreSQL's {@code Detail: Key
 * (email)=(…)}, {@code Failing row contains (…)}; MariaDB's {@code Duplicate entry '…'},
 * {@code Incorrect integer value: '…'}) are left out, while the SQLState, the constraint and the SQL
 * stay, and the driver's exception, whole, stays the cause.
 */
class ErrorMessageValuesTest {

  private static final String INSERT = "insert into emv_users(id, email, n) values (?, ?, ?)";

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db, boolean echo) {
    engine = db.engine(b -> b.echo(echo));
    Schema.recreate(engine.sync(), "emv_users", "create table emv_users (id int primary key, "
        + "email varchar(100) not null, n int, constraint emv_users_email unique (email), "
        + "constraint emv_users_n check (n > 0))");
    await(engine.inTransaction(c -> c.execute(INSERT, 1, "taken-secret@example.com", 1)));
    return engine;
  }

  private AsyncEngineException insertFails(Object id, Object email, Object n) {
    AsyncConnection conn = await(engine.connect());
    try {
      Throwable failed = failure(conn.execute(INSERT, id, email, n));
      assertThat(failed).isInstanceOf(DatabaseException.class);
      return (AsyncEngineException) failed;
    } finally {
      await(conn.close());
    }
  }

  @DatabaseTest
  void duplicateKeyMessageKeepsTheValueOutWithoutEcho(TestDatabase db) {
    open(db, false);
    AsyncEngineException ex = insertFails(2, "taken-secret@example.com", 1);
    assertThat(ex).isInstanceOf(IntegrityViolationException.class);
    assertValueHidden(db, ex, "taken-secret");
    assertThat(ex.getMessage()).containsIgnoringCase(db == TestDatabase.SQLITE ? "emv_users.email" : "emv_users_email");
  }

  @DatabaseTest
  void notNullViolationMessageKeepsTheRowOutWithoutEcho(TestDatabase db) {
    open(db, false);
    // Not null on email; PostgreSQL's Detail would list the whole row, n = 4242 included.
    AsyncEngineException ex = insertFails(3, null, 4242);
    assertThat(ex).isInstanceOf(IntegrityViolationException.class);
    assertThat(ex.getMessage()).doesNotContain("4242").containsIgnoringCase("email");
    assertCommonParts(db, ex);
  }

  @DatabaseTest
  void checkViolationMessageKeepsTheRowOutWithoutEcho(TestDatabase db) {
    open(db, false);
    AsyncEngineException ex = insertFails(4, "check-secret@example.com", -5);
    assertThat(ex).isInstanceOf(IntegrityViolationException.class);
    assertThat(ex.getMessage()).doesNotContain("check-secret");
    assertThat(ex.getMessage()).containsIgnoringCase("emv_users_n");
    assertCommonParts(db, ex);
    if (db == TestDatabase.POSTGRESQL) {
      assertThat(ex.getCause().getMessage()).contains("check-secret"); // the driver's own message, whole
    }
  }

  /** SQLite stores text in an int column without complaint: nothing to report there. */
  @ParameterizedTest(name = "[{0}]")
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void wrongTypeValueIsKeptOutWithoutEcho(TestDatabase db) {
    open(db, false);
    AsyncEngineException ex = insertFails("typed-secret", "w@example.com", 1);
    assertThat(ex.getMessage()).doesNotContain("typed-secret");
    assertCommonParts(db, ex);
  }

  @DatabaseTest
  void batchDuplicateKeyMessageKeepsTheValuesOutWithoutEcho(TestDatabase db) {
    open(db, false);
    AsyncConnection conn = await(engine.connect());
    Throwable failed = failure(conn.executeMany(INSERT.replace("?, ?, ?", ":id, :email, :n"), List.of(
        Params.named(Map.of("id", 5, "email", "batch-ok@example.com", "n", 1)),
        Params.named(Map.of("id", 6, "email", "taken-secret@example.com", "n", 7)))));
    await(conn.close());
    assertThat(failed).isInstanceOf(IntegrityViolationException.class);
    assertThat(failed.getMessage()).doesNotContain("taken-secret").doesNotContain("batch-ok");
  }

  @DatabaseTest
  void withEchoTheValuesAndTheDatabasesDetailAreShown(TestDatabase db) {
    open(db, true);
    AsyncEngineException ex = insertFails(2, "taken-secret@example.com", 1);
    assertThat(ex.getMessage()).contains("[parameters: ").contains("taken-secret@example.com");
    if (db == TestDatabase.POSTGRESQL) {
      assertThat(ex.getMessage()).contains("(email)=(taken-secret@example.com)");
    }
    if (db == TestDatabase.MARIADB) {
      assertThat(ex.getMessage()).contains("Duplicate entry 'taken-secret@example.com'");
    }
    // Commit and other operations without parameters get no empty parameters part.
    AsyncConnection conn = await(engine.connect());
    Throwable failed = failure(conn.execute("insert into emv_users(id, email, n) values (1, 'x', 1)"));
    await(conn.close());
    assertThat(failed.getMessage()).doesNotContain("[parameters: ]");
  }

  private static void assertValueHidden(TestDatabase db, AsyncEngineException ex, String value) {
    assertThat(ex.getMessage()).doesNotContain(value).doesNotContain("[parameters:");
    assertCommonParts(db, ex);
    if (db != TestDatabase.SQLITE) {
      assertThat(ex.getCause().getMessage()).contains(value); // for the server's own logs
    }
    if (db == TestDatabase.MARIADB) {
      assertThat(ex.getMessage()).contains("Duplicate entry [value hidden] for key");
    }
  }

  private static void assertCommonParts(TestDatabase db, AsyncEngineException ex) {
    assertThat(ex.getMessage()).contains("[SQL: " + INSERT + "]").contains("vendor code: ");
    if (db != TestDatabase.SQLITE) {
      assertThat(ex.sqlState()).isNotNull();
      assertThat(ex.getMessage()).contains("[SQLState: " + ex.sqlState());
    }
  }
}
