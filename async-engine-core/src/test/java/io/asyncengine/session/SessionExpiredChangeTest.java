package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.session.Entities.Account;
import io.asyncengine.session.Entities.Person;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * With expire-on-commit (the default), a value set on an entity after commit() is a change like any
 * other: the next flush writes it (SQLAlchemy: setting an expired attribute marks it changed),
 * never drops it, and a re-read keeps it.
 */
class SessionExpiredChangeTest {

  private AsyncEngine engine;
  private final List<AsyncSession> sessions = new ArrayList<>();

  @AfterEach
  void dispose() {
    for (AsyncSession session : sessions) {
      await(session.closeAsync());
    }
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncSession open(TestDatabase db, boolean autoflush) {
    if (engine == null) {
      engine = db.engine();
      Entities.create(engine.sync(), db);
    }
    AsyncSession session = AsyncSessionFactory.builder(engine).autoflush(autoflush).build().openSession();
    sessions.add(session);
    return session;
  }

  private String stored(String sql, Object... values) {
    return await(engine.runSync(c -> c.scalar(String.class, sql, values)));
  }

  private long storedLong(String sql, Object... values) {
    Long value = await(engine.runSync(c -> c.scalar(Long.class, sql, values)));
    return value;
  }

  @DatabaseTest
  void sessionValueSetAfterCommitIsWrittenByTheNextCommit(TestDatabase db) {
    AsyncSession session = open(db, true);
    Person person = new Person("before", "expired@example.com");
    session.add(person);
    await(session.commit());
    person.setName("after");
    assertThat(session.isModified(person)).isTrue();
    assertThat(session.dirty()).containsExactly(person);
    await(session.commit());
    assertThat(stored("select name from session_users where id = ?", person.getId())).isEqualTo("after");
    assertThat(stored("select email from session_users where id = ?", person.getId())).isEqualTo("expired@example.com");
  }

  @DatabaseTest
  void sessionValueSetAfterCommitSurvivesAReReadAndIsWrittenOverTheCurrentRow(TestDatabase db) {
    AsyncSession session = open(db, false);
    Person person = new Person("before", "old@example.com");
    session.add(person);
    await(session.commit());
    // another transaction changes another column meanwhile
    await(engine.runSyncInTransaction(c -> c.execute("update session_users set email = 'new@example.com' where id = ?",
        person.getId())));
    person.setName("after");
    Person reread = await(session.getOne(Person.class, person.getId())); // no autoflush: a re-read
    assertThat(reread).isSameAs(person);
    assertThat(person.getName()).as("the change survives the re-read").isEqualTo("after");
    assertThat(person.getEmail()).as("the rest is the row as it is now").isEqualTo("new@example.com");
    await(session.commit());
    assertThat(stored("select name from session_users where id = ?", person.getId())).isEqualTo("after");
    assertThat(stored("select email from session_users where id = ?", person.getId())).isEqualTo("new@example.com");
  }

  @DatabaseTest
  void sessionVersionedValueSetAfterCommitIsWrittenWithTheVersionReadAtFlush(TestDatabase db) {
    AsyncSession session = open(db, true);
    Account account = new Account("ada", 100);
    session.add(account);
    await(session.commit());
    await(engine.runSyncInTransaction(c -> c.execute(
        "update session_account set owner = 'bob', version = version + 1 where id = ?", account.getId())));
    account.setBalance(250);
    await(session.commit());
    assertThat(storedLong("select balance from session_account where id = ?", account.getId())).isEqualTo(250);
    assertThat(stored("select owner from session_account where id = ?", account.getId())).isEqualTo("bob");
    assertThat(storedLong("select version from session_account where id = ?", account.getId())).isEqualTo(3);
    assertThat(account.getVersion()).isEqualTo(3);
  }

  @DatabaseTest
  void sessionValueSetAfterCommitOnARowDeletedMeanwhileFailsLoudly(TestDatabase db) {
    AsyncSession session = open(db, true);
    Person person = new Person("doomed", null);
    session.add(person);
    await(session.commit());
    await(engine.runSyncInTransaction(c -> c.execute("delete from session_users where id = ?", person.getId())));
    person.setName("lost?");
    assertThat(failure(session.commit())).isInstanceOf(StaleObjectException.class)
        .hasMessageContaining("no longer exists").hasMessageContaining(Person.class.getName());
    await(session.rollback());
  }

  @DatabaseTest
  void sessionExpireDiscardsEarlierChangesButWritesLaterOnes(TestDatabase db) {
    AsyncSession session = open(db, true);
    Person person = new Person("kept", "kept@example.com");
    session.add(person);
    await(session.commit());
    Person loaded = await(session.getOne(Person.class, person.getId()));
    loaded.setName("discarded");
    session.expire(loaded);
    assertThat(session.isModified(loaded)).isFalse();
    await(session.commit());
    assertThat(stored("select name from session_users where id = ?", person.getId())).isEqualTo("kept");
    loaded.setEmail("later@example.com");
    await(session.commit());
    assertThat(stored("select email from session_users where id = ?", person.getId())).isEqualTo("later@example.com");
    assertThat(stored("select name from session_users where id = ?", person.getId())).isEqualTo("kept");
  }
}
