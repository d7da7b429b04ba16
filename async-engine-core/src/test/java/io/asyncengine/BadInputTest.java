package io.asyncengine;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.core.Params;
import io.asyncengine.error.DataException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.MappingException;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Bad input gets a specific exception naming the problem, and
 * nothing is written.
 */
class BadInputTest {

  record NameOnly(String name) {}

  record Missing(String name, String nickname) {}

  record Numbers(int name) {}

  private AsyncEngine engine;

  private AsyncConnection open(TestDatabase db) {
    engine = db.engine();
    Schema.users(engine.sync(), db);
    return await(engine.connect());
  }

  @AfterEach
  void dispose() {
    if (engine != null) {
      assertThat(io.asyncengine.testing.Await.<Long>await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from users")))).as("rows written").isZero();
      engine.close();
    }
  }

  @DatabaseTest
  void wrongPositionalParameterCountsAreRefusedBeforeReachingTheDatabase(TestDatabase db) {
    AsyncConnection conn = open(db);
    assertThat(failure(conn.execute("insert into users(name, email) values (?, ?)", "only-one")))
        .isInstanceOf(ParameterBindingException.class)
        .hasMessageContaining("2 parameter marker(s) but 1 value(s)")
        .hasMessageContaining("insert into users");
    assertThat(failure(conn.execute("select * from users where name = ?", "a", "b")))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("1 parameter marker(s) but 2");
    assertThat(failure(conn.executeMany("insert into users(name) values (?)", List.of(Params.of("ok"), Params.of("a", "b")))))
        .isInstanceOf(ParameterBindingException.class);
    await(conn.commit());
    await(conn.close());
  }

  @DatabaseTest
  void unknownAndMissingNamedParametersAreNamed(TestDatabase db) {
    AsyncConnection conn = open(db);
    assertThat(failure(conn.execute("insert into users(name, email) values (:name, :email)", Params.named(Map.of("name", "x")))))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("Missing value for named parameter :email");
    assertThat(failure(conn.execute("insert into users(name) values (:name)", Params.named(Map.of("name", "x", "emial", "typo")))))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining(":emial").hasMessageContaining(":name");
    assertThat(failure(conn.execute("insert into users(name) values (:name)", "positional")))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("named parameters :name");
    assertThat(failure(conn.execute("select * from users where name = ? and email = :email", "a")))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("mixes");
    // Wrong on its face: thrown at once on the caller's thread, not through the future.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> conn.execute(null))
        .isInstanceOf(NullPointerException.class).hasMessage("sql must not be null");
    assertThat(failure(conn.execute("select ?", Map.of("id", 1))))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("Params.named(map)");
    await(conn.commit());
    await(conn.close());
  }

  @DatabaseTest
  void valuesOfTypesNoDriverCarriesAreRefused(TestDatabase db) {
    AsyncConnection conn = open(db);
    assertThat(failure(conn.execute("insert into users(name) values (?)", new Object())))
        .isInstanceOf(ParameterBindingException.class).hasMessageContaining("java.lang.Object").hasMessageContaining("parameter 1");
    await(conn.commit());
    await(conn.close());
  }

  @DatabaseTest
  void unmappableColumnsNameTheClassAndColumn(TestDatabase db) {
    AsyncConnection conn = open(db);
    var result = await(conn.execute("select 'abc' as name"));
    assertThat(result.as(NameOnly.class)).containsExactly(new NameOnly("abc"));
    try {
      result.as(Missing.class);
      throw new AssertionError("expected a MappingException");
    } catch (MappingException e) {
      assertThat(e).hasMessageContaining("Missing").hasMessageContaining("nickname");
    }
    try {
      result.as(Numbers.class);
      throw new AssertionError("expected a MappingException");
    } catch (MappingException e) {
      assertThat(e).hasMessageContaining("name").hasMessageContaining("int");
    }
    await(conn.close());
  }

  @DatabaseTest
  void syntaxErrorsAreProgrammingErrorsNamingTheSql(TestDatabase db) {
    AsyncConnection conn = open(db);
    assertThat(failure(conn.execute("selec name from users")))
        .isInstanceOf(ProgrammingException.class).hasMessageContaining("selec name from users");
    await(conn.rollback()); // PostgreSQL refuses every statement after an error until then
    assertThat(failure(conn.execute("select * from no_such_table")))
        .isInstanceOf(ProgrammingException.class).hasMessageContaining("no_such_table");
    await(conn.close());
  }

  @DatabaseTest
  void constraintViolationsAreIntegrityErrorsAndTheTransactionRollsBack(TestDatabase db) {
    await(open(db).close());
    Throwable failed = failure(engine.inTransaction(conn -> conn.execute("insert into users(name, email) values (?, ?)", "a", "same@example.com")
        .thenCompose(r -> conn.execute("insert into users(name, email) values (?, ?)", "b", "same@example.com"))));
    assertThat(failed).isInstanceOf(IntegrityViolationException.class).hasMessageContaining("insert into users");
    IntegrityViolationException violation = (IntegrityViolationException) failed;
    // sqlite-jdbc reports no SQLState, only SQLite's result code (19, SQLITE_CONSTRAINT).
    assertThat(db.isSqlite() ? String.valueOf(violation.vendorCode()) : violation.sqlState()).startsWith(db.isSqlite() ? "19" : "23");
  }

  @DatabaseTest
  void oversizedAndWrongTypedValuesAreRejectedWhereTheDatabaseChecks(TestDatabase db) {
    AsyncConnection conn = open(db);
    String tooLong = "x".repeat(51);
    if (db.isSqlite()) {
      // SQLite does not enforce varchar lengths; the value is stored verbatim, which is the documented behaviour.
      await(conn.execute("insert into users(name) values (?)", tooLong));
      assertThat(await(conn.scalar(String.class, "select name from users"))).isEqualTo(tooLong);
      await(conn.rollback());
    } else {
      assertThat(failure(conn.execute("insert into users(name) values (?)", tooLong))).isInstanceOf(DataException.class);
      await(conn.rollback());
      assertThat(failure(conn.execute("insert into users(name, active) values (?, ?)", "n", "not-a-boolean")))
          .isInstanceOfAny(DataException.class, ProgrammingException.class);
      await(conn.rollback());
    }
    await(conn.close());
  }

  @DatabaseTest
  void useAfterCloseFailsWithResourceClosed(TestDatabase db) {
    AsyncConnection conn = open(db);
    await(conn.close());
    assertThat(failure(conn.execute("insert into users(name) values (?)", "late"))).isInstanceOf(ResourceClosedException.class);
    assertThat(failure(conn.begin())).isInstanceOf(ResourceClosedException.class);
    AsyncEngine closed = engine;
    AsyncEngine other = db.engine();
    other.close();
    assertThat(failure(other.connect())).isInstanceOf(ResourceClosedException.class).hasMessageContaining("disposed");
    assertThat(failure(other.runSync(c -> c.execute("select 1")))).isInstanceOf(ResourceClosedException.class);
    assertThat(closed.isDisposed()).isFalse();
  }
}
