package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.AsyncSessionTransaction;
import io.asyncengine.core.Params;
import io.asyncengine.error.ConcurrentSessionUseException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.InvalidRequestException;
import io.asyncengine.error.MappingException;
import io.asyncengine.error.NoResultException;
import io.asyncengine.error.ParameterBindingException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ResourceClosedException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.options.IsolationLevel;
import io.asyncengine.result.Row;
import io.asyncengine.session.Entities.Account;
import io.asyncengine.session.Entities.Contact;
import io.asyncengine.session.Entities.Hostile;
import io.asyncengine.session.Entities.Ledger;
import io.asyncengine.session.Entities.NoId;
import io.asyncengine.session.Entities.Person;
import io.asyncengine.session.Entities.SessionUserAccount;
import io.asyncengine.session.Entities.Tag;
import io.asyncengine.session.Entities.User;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** AsyncSession, Session and AsyncSessionFactory on every database. */
class SessionTest {

  private AsyncEngine engine;
  private AsyncSessionFactory factory;
  private final List<AsyncSession> sessions = new ArrayList<>();

  private AsyncSessionFactory open(TestDatabase db) {
    engine = db.engine();
    Entities.create(engine.sync(), db);
    factory = AsyncSessionFactory.of(engine);
    return factory;
  }

  private AsyncSession session(TestDatabase db) {
    if (factory == null) {
      open(db);
    }
    AsyncSession session = factory.openSession();
    sessions.add(session);
    return session;
  }

  @AfterEach
  void dispose() {
    for (AsyncSession session : sessions) {
      await(session.closeAsync());
    }
    if (engine != null) {
      engine.close();
    }
  }

  private long count(String table) {
    return await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from " + table)));
  }

  private String nameOf(long id) {
    return await(engine.runSync(c -> c.scalar(String.class, "select name from session_users where id = ?", id)));
  }

  private String scalarString(String sql) {
    return await(engine.runSync(c -> c.scalar(String.class, sql)));
  }

  private long scalarLong(String sql) {
    return await(engine.runSync(c -> c.scalar(Long.class, sql)));
  }

  private List<String> names(String sql) {
    return await(engine.runSync(c -> c.scalars(String.class, sql)));
  }

  private void externally(String sql, Object... params) {
    await(engine.runSyncInTransaction(c -> c.execute(sql, params)));
  }

  // ---------------------------------------------------------------- add, flush, commit

  @DatabaseTest
  void sessionAddFlushCommitGivesRecordItsGeneratedIdInTheIdentityMap(TestDatabase db) {
    AsyncSession session = session(db);
    User ada = new User(null, "ada", "ada@example.com");
    session.add(ada);
    assertThat(session.newObjects()).containsExactly(ada);
    await(session.flush());
    User stored = session.current(ada);
    assertThat(stored.id()).isPositive();
    assertThat(stored.name()).isEqualTo("ada");
    assertThat(session.identityMap()).containsEntry(new EntityKey(User.class, stored.id()), stored);
    await(session.commit());
    assertThat(nameOf(stored.id())).isEqualTo("ada");
  }

  @DatabaseTest
  void sessionAddPojoWritesGeneratedIdBack(TestDatabase db) {
    AsyncSession session = session(db);
    Person bob = new Person("bob", "bob@example.com");
    bob.setCreatedAt(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
    bob.setActive(true);
    session.add(bob);
    await(session.commit());
    assertThat(bob.getId()).isPositive();
    assertThat(nameOf(bob.getId())).isEqualTo("bob");
    Person reloaded = await(factory.openSession().getOne(Person.class, bob.getId()));
    assertThat(reloaded.getCreatedAt()).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
    assertThat(reloaded.getActive()).isTrue();
    assertThat(reloaded.note()).isEqualTo("not stored");
  }

  @DatabaseTest
  void sessionAddAllInsertsInAddOrder(TestDatabase db) {
    AsyncSession session = session(db);
    List<Person> people = List.of(new Person("p1", null), new Person("p2", null), new Person("p3", null));
    session.addAll(people);
    await(session.commit());
    assertThat(people.get(0).getId()).isLessThan(people.get(1).getId());
    assertThat(people.get(1).getId()).isLessThan(people.get(2).getId());
    assertThat(count("session_users")).isEqualTo(3);
  }

  @DatabaseTest
  void sessionApplicationAssignedStringIdsAreInsertedAndRequired(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Tag("java", "Java"));
    await(session.commit());
    assertThat(await(session.get(Tag.class, "java"))).contains(new Tag("java", "Java"));
    assertThatThrownBy(() -> session.add(new Tag(null, "none")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(Tag.class.getName()).hasMessageContaining("null");
  }

  @DatabaseTest
  void sessionConventionNamesTableAndColumns(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new SessionUserAccount(null, "Ada L.", LocalDateTime.of(2020, 1, 2, 3, 4, 5)));
    await(session.commit());
    String name = await(engine.runSync(c -> c.scalar(String.class, "select display_name from session_user_account")));
    assertThat(name).isEqualTo("Ada L.");
    List<SessionUserAccount> all = await(session.scalars(SessionUserAccount.class, "select * from session_user_account"));
    assertThat(all).singleElement().extracting(SessionUserAccount::createdAt)
        .isEqualTo(LocalDateTime.of(2020, 1, 2, 3, 4, 5));
  }

  // ---------------------------------------------------------------- get

  @DatabaseTest
  void sessionGetHitsTheIdentityMapWithoutSql(TestDatabase db) {
    open(db);
    externally("insert into session_users(name) values ('ada')");
    long id = await(engine.runSync(c -> c.scalar(Long.class, "select id from session_users")));
    AsyncSessionFactory keep = AsyncSessionFactory.builder(engine).expireOnCommit(false).build();
    AsyncSession session = keep.openSession();
    sessions.add(session);
    User first = await(session.get(User.class, id)).orElseThrow();
    await(session.commit()); // releases the connection; nothing is expired
    externally("delete from session_users");
    // A query would find nothing now: the hit is proof that no SQL ran.
    assertThat(await(session.get(User.class, id))).containsSame(first);
  }

  @DatabaseTest
  void sessionGetMissIsEmptyAndGetOneThrowsNoResult(TestDatabase db) {
    AsyncSession session = session(db);
    assertThat(await(session.get(User.class, 12345L))).isEmpty();
    assertThat(failure(session.getOne(User.class, 12345L)))
        .isInstanceOf(NoResultException.class).hasMessageContaining("User").hasMessageContaining("12345");
  }

  @DatabaseTest
  void sessionGetAcceptsAnIntLiteralForALongId(TestDatabase db) {
    open(db);
    externally("insert into session_users(name) values ('ada')");
    AsyncSession session = session(db);
    long id = await(session.scalar(Long.class, "select id from session_users"));
    User viaInt = await(session.get(User.class, (int) id)).orElseThrow();
    assertThat(await(session.get(User.class, id))).containsSame(viaInt);
  }

  @DatabaseTest
  void sessionGetWithNullIdThrowsAtOnceNamingTheArgument(TestDatabase db) {
    AsyncSession session = session(db);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.get(User.class, null))
        .isInstanceOf(NullPointerException.class).hasMessage("id must not be null");
  }

  @DatabaseTest
  void sessionGetWithWrongIdTypeFailsNamingBothTypes(TestDatabase db) {
    AsyncSession session = session(db);
    assertThat(failure(session.get(User.class, "one")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(User.class.getName()).hasMessageContaining("java.lang.Long")
        .hasMessageContaining("java.lang.String");
  }

  // ---------------------------------------------------------------- bad input

  @DatabaseTest
  void sessionUnmappedClassesFailWithMappingException(TestDatabase db) {
    AsyncSession session = session(db);
    assertThat(failure(session.get(String.class, 1))).isInstanceOf(MappingException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("simple value type");
    assertThatThrownBy(() -> session.add(new Object() {}))
        .isInstanceOf(MappingException.class).hasMessageContaining("as an entity");
    assertThatThrownBy(() -> session.add(List.of()))
        .isInstanceOf(MappingException.class);
  }

  @DatabaseTest
  void sessionEntityWithoutIdFails(TestDatabase db) {
    AsyncSession session = session(db);
    assertThatThrownBy(() -> session.add(new NoId("x")))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining(NoId.class.getName()).hasMessageContaining("no id");
  }

  @DatabaseTest
  void sessionHostileTableNameIsRejectedBeforeAnySql(TestDatabase db) {
    AsyncSession session = session(db);
    assertThatThrownBy(() -> session.add(new Hostile(null, "x")))
        .isInstanceOf(MappingException.class).hasMessageContaining("not a plain SQL identifier");
    assertThat(failure(session.get(Hostile.class, 1L))).isInstanceOf(MappingException.class);
    assertThat(count("session_users")).isZero(); // the table is still there
  }

  @DatabaseTest
  void sessionHostileValuesAreStoredVerbatim(TestDatabase db) {
    AsyncSession session = session(db);
    String hostile = "'; drop table session_users; -- \"quoted\" \\ back \uD83D\uDE00 ünï";
    Person person = new Person(hostile, "x'@example.com");
    session.add(person);
    await(session.commit());
    assertThat(nameOf(person.getId())).isEqualTo(hostile);
    List<Person> found = await(session.scalars(Person.class,
        "select * from session_users where name = :name", Params.named(Map.of("name", hostile))));
    assertThat(found).singleElement().extracting(Person::getEmail).isEqualTo("x'@example.com");
  }

  @DatabaseTest
  void sessionDeleteOfADetachedEntityFails(TestDatabase db) {
    AsyncSession session = session(db);
    Person stranger = new Person("s", null);
    stranger.setId(99L);
    assertThatThrownBy(() -> session.delete(stranger))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(Person.class.getName()).hasMessageContaining("99")
        .hasMessageContaining("not in this session");
  }

  @DatabaseTest
  void sessionUseAfterCloseFailsWithResourceClosed(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("ghost", null));
    await(session.closeAsync());
    assertThat(session.isClosed()).isTrue();
    assertThat(failure(session.get(User.class, 1L))).isInstanceOf(ResourceClosedException.class)
        .hasMessageContaining("session is closed");
    assertThatThrownBy(() -> session.add(new Person("x", null))).isInstanceOf(ResourceClosedException.class);
    assertThat(count("session_users")).isZero();
  }

  @DatabaseTest
  void sessionFailedFlushRollsBackAndNeedsRollback(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("a", "same@example.com"));
    session.add(new Person("b", "same@example.com"));
    assertThat(failure(session.flush())).isInstanceOf(IntegrityViolationException.class);
    assertThat(failure(session.execute("select 1"))).isInstanceOf(PendingRollbackException.class)
        .hasMessageContaining("rollback()");
    await(session.rollback());
    assertThat(session.newObjects()).isEmpty();
    assertThat(count("session_users")).isZero();
    session.add(new Person("c", "same@example.com"));
    await(session.commit());
    assertThat(count("session_users")).isEqualTo(1);
  }

  // ---------------------------------------------------------------- update, merge, delete

  @DatabaseTest
  void sessionDirtyPojoIsUpdatedOnFlush(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("before", "p@example.com");
    session.add(person);
    await(session.flush());
    assertThat(session.isModified(person)).isFalse();
    person.setName("after");
    assertThat(session.dirty()).containsExactly(person);
    assertThat(session.isModified(person)).isTrue();
    await(session.commit());
    assertThat(nameOf(person.getId())).isEqualTo("after");
  }

  @DatabaseTest
  void sessionMergeOfAChangedRecordUpdatesTheRow(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new User(null, "old", "u@example.com"));
    await(session.flush());
    User stored = (User) session.identityMap().values().iterator().next();
    User renamed = await(session.merge(new User(stored.id(), "new", stored.email())));
    assertThat(session.current(stored)).isSameAs(renamed);
    assertThat(session.dirty()).containsExactly(renamed);
    await(session.commit());
    assertThat(nameOf(stored.id())).isEqualTo("new");
  }

  @DatabaseTest
  void sessionMergeCopiesADetachedPojoOntoThePersistentOne(TestDatabase db) {
    open(db);
    externally("insert into session_users(name, email) values ('ada', 'a@x')");
    AsyncSession session = session(db);
    Person managed = await(session.scalar(Person.class, "select * from session_users"));
    Person detached = new Person("ada2", "a@x");
    detached.setId(managed.getId());
    Person merged = await(session.merge(detached));
    assertThat(merged).isSameAs(managed);
    assertThat(managed.getName()).isEqualTo("ada2");
    assertThat(session.contains(detached)).isFalse();
    await(session.commit());
    assertThat(nameOf(managed.getId())).isEqualTo("ada2");
  }

  @DatabaseTest
  void sessionMergeOfAnUnknownIdInsertsAndLoadsAKnownOne(TestDatabase db) {
    AsyncSession session = session(db);
    Tag merged = await(session.merge(new Tag("new", "New")));
    await(session.commit());
    assertThat(merged).isEqualTo(new Tag("new", "New"));
    AsyncSession other = session(db);
    Tag changed = await(other.merge(new Tag("new", "Changed")));
    assertThat(other.dirty()).containsExactly(changed);
    await(other.commit());
    assertThat(scalarString("select label from session_tag"))
        .isEqualTo("Changed");
  }

  @DatabaseTest
  void sessionDeleteRemovesTheRowOnFlush(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("doomed", null);
    session.add(person);
    await(session.flush());
    session.delete(person);
    assertThat(session.deleted()).containsExactly(person);
    assertThat(await(session.get(Person.class, person.getId()))).isEmpty();
    await(session.commit());
    assertThat(count("session_users")).isZero();
    assertThat(session.contains(person)).isFalse();
  }

  @DatabaseTest
  void sessionDeleteOfAPendingEntityJustExpungesIt(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("never", null);
    session.add(person);
    session.delete(person);
    assertThat(session.newObjects()).isEmpty();
    await(session.commit());
    assertThat(count("session_users")).isZero();
  }

  @DatabaseTest
  void sessionFlushInsertsThenUpdatesThenDeletes(TestDatabase db) {
    AsyncSession session = session(db);
    Person keep = new Person("keep", "keep@x");
    Person drop = new Person("drop", "drop@x");
    session.addAll(List.of(keep, drop));
    await(session.commit());
    keep = await(session.getOne(Person.class, keep.getId()));
    drop = await(session.getOne(Person.class, drop.getId()));
    keep.setName("kept");
    session.delete(drop);
    Person fresh = new Person("fresh", "fresh@x");
    session.add(fresh);
    await(session.commit());
    List<String> names = await(engine.runSync(c -> c.scalars(String.class, "select name from session_users order by id")));
    assertThat(names).containsExactly("kept", "fresh");
    assertThat(fresh.getId()).isGreaterThan(drop.getId());
  }

  @DatabaseTest
  void sessionChangingTheIdOfAPersistentEntityFails(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("p", null);
    session.add(person);
    await(session.flush());
    person.setId(person.getId() + 100);
    assertThat(failure(session.flush())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ids cannot change");
  }

  // ---------------------------------------------------------------- rollback, close, refresh, expire

  @DatabaseTest
  void sessionRollbackDiscardsChangesAndRestoresState(TestDatabase db) {
    AsyncSession session = session(db);
    Person kept = new Person("kept", null);
    session.add(kept);
    await(session.commit());
    Person loaded = await(session.getOne(Person.class, kept.getId()));
    loaded.setName("changed");
    Person added = new Person("added", null);
    session.add(added);
    await(session.flush());
    session.delete(loaded);
    await(session.rollback());
    assertThat(session.contains(added)).isFalse();
    assertThat(session.deleted()).isEmpty();
    assertThat(count("session_users")).isEqualTo(1);
    Person again = await(session.getOne(Person.class, kept.getId()));
    assertThat(again).isSameAs(loaded);
    assertThat(again.getName()).isEqualTo("kept"); // expired by the rollback, re-read
  }

  @DatabaseTest
  void sessionCloseRollsBackUncommittedWork(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("uncommitted", null));
    await(session.flush());
    assertThat(session.inTransaction()).isTrue();
    session.close();
    await(session.closeAsync());
    assertThat(session.inTransaction()).isFalse();
    assertThat(count("session_users")).isZero();
  }

  @DatabaseTest
  void sessionRefreshReloadsAPojoInPlaceAndReplacesARecord(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("v1", null);
    session.add(person);
    await(session.commit());
    person = await(session.getOne(Person.class, person.getId()));
    User record = await(session.getOne(User.class, person.getId()));
    long id = person.getId();
    person.setName("local change");
    await(session.commit()); // writes the local change, then expires
    externally("update session_users set name = 'v2' where id = ?", id);
    assertThat(await(session.refresh(person))).isSameAs(person);
    assertThat(person.getName()).isEqualTo("v2");
    User refreshed = await(session.refresh(record));
    assertThat(refreshed.name()).isEqualTo("v2");
    assertThat(session.current(record)).isSameAs(refreshed);
  }

  @DatabaseTest
  void sessionExpireMakesTheNextGetReRead(TestDatabase db) {
    AsyncSessionFactory keep = AsyncSessionFactory.builder(open(db).engine()).expireOnCommit(false).build();
    AsyncSession session = keep.openSession();
    sessions.add(session);
    Person person = new Person("v1", null);
    session.add(person);
    await(session.commit());
    externally("update session_users set name = 'v2' where id = ?", person.getId());
    assertThat(await(session.getOne(Person.class, person.getId())).getName()).isEqualTo("v1");
    session.expire(person);
    assertThat(await(session.getOne(Person.class, person.getId())).getName()).isEqualTo("v2");
    externally("update session_users set name = 'v3' where id = ?", person.getId());
    await(session.commit());
    session.expireAll();
    assertThat(await(session.getOne(Person.class, person.getId())).getName()).isEqualTo("v3");
  }

  @DatabaseTest
  void sessionExpireOnCommitReReadsAfterCommitByDefault(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("v1", null);
    session.add(person);
    await(session.commit());
    externally("update session_users set name = 'v2' where id = ?", person.getId());
    Person again = await(session.getOne(Person.class, person.getId()));
    assertThat(again).isSameAs(person);
    assertThat(again.getName()).isEqualTo("v2");
  }

  @DatabaseTest
  void sessionExpungeForgetsAnEntity(TestDatabase db) {
    AsyncSession session = session(db);
    Person person = new Person("p", null);
    session.add(person);
    await(session.flush());
    session.expunge(person);
    assertThat(session.contains(person)).isFalse();
    person.setName("ignored");
    await(session.commit());
    assertThat(nameOf(person.getId())).isEqualTo("p");
    assertThatThrownBy(() -> session.expunge(person)).isInstanceOf(InvalidRequestException.class);
  }

  // ---------------------------------------------------------------- autoflush, queries

  @DatabaseTest
  void sessionAutoflushesBeforeQueries(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("auto", null));
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isEqualTo(1);
    assertThat(session.newObjects()).isEmpty();
  }

  @DatabaseTest
  void sessionWithoutAutoflushDoesNotFlush(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("later", null));
    long inside = await(session.withoutAutoflush(s -> s.scalar(Long.class, "select count(*) from session_users")));
    assertThat(inside).isZero();
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isEqualTo(1);
  }

  @DatabaseTest
  void sessionFactoryCanTurnAutoflushOff(TestDatabase db) {
    AsyncSessionFactory manual = AsyncSessionFactory.builder(open(db).engine()).autoflush(false).build();
    assertThat(manual.autoflush()).isFalse();
    AsyncSession session = manual.openSession();
    sessions.add(session);
    session.add(new Person("manual", null));
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isZero();
    await(session.flush());
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isEqualTo(1);
  }

  @DatabaseTest
  void sessionScalarsReturnManagedEntities(TestDatabase db) {
    open(db);
    externally("insert into session_users(name) values ('a'), ('b')");
    AsyncSession session = session(db);
    List<Person> people = await(session.scalars(Person.class, "select * from session_users order by id"));
    assertThat(people).extracting(Person::getName).containsExactly("a", "b");
    assertThat(await(session.get(Person.class, people.get(1).getId()))).containsSame(people.get(1));
    List<Person> again = await(session.scalars(Person.class, "select * from session_users where name = ?", "a"));
    assertThat(again).singleElement().isSameAs(people.get(0));
    assertThat(await(session.scalars(String.class, "select name from session_users order by id")))
        .containsExactly("a", "b");
  }

  @DatabaseTest
  void sessionScalarAndExecuteRunAnySql(TestDatabase db) {
    AsyncSession session = session(db);
    assertThat(await(session.execute("insert into session_users(name) values (?)", "x")).rowCount()).isEqualTo(1);
    User user = await(session.scalar(User.class, "select id, name, email from session_users"));
    assertThat(user.name()).isEqualTo("x");
    assertThat(await(session.scalar(User.class, "select id, name, email from session_users where id < 0"))).isNull();
    assertThat(failure(session.scalar(User.class, "select name, email from session_users")))
        .isInstanceOf(MappingException.class);
  }

  @DatabaseTest
  void sessionQueriesWithoutTheIdColumnCannotGiveManagedEntities(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("p", null));
    assertThat(failure(session.scalars(Person.class, "select name from session_users")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("without its id column");
  }

  @DatabaseTest
  void sessionStreamScalarsStreamsManagedEntities(TestDatabase db) {
    AsyncSession session = session(db);
    for (int i = 0; i < 20; i++) {
      session.add(new Person("p" + i, null));
    }
    // autoflush at subscription writes the 20 pending people first
    List<Person> streamed = collect(session.streamScalars(Person.class, "select * from session_users order by id"), 3);
    assertThat(streamed).hasSize(20);
    assertThat(await(session.get(Person.class, streamed.get(5).getId()))).containsSame(streamed.get(5));
    assertThat(collect(session.streamScalars(String.class, "select name from session_users where id = ?", streamed.get(0).getId()), 1))
        .containsExactly("p0");
  }

  @DatabaseTest
  void sessionStreamRowsAndHoldsTheSessionWhileStreaming(TestDatabase db) {
    AsyncSession session = session(db);
    session.addAll(List.of(new Person("a", null), new Person("b", null)));
    await(session.flush());
    CompletableFuture<List<Row>> rows = new CompletableFuture<>();
    CountDownLatch firstRow = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    session.stream("select name from session_users order by id").subscribe(new Flow.Subscriber<>() {
      private final List<Row> seen = new ArrayList<>();

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Row row) {
        seen.add(row);
        firstRow.countDown();
        try {
          proceed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void onError(Throwable throwable) {
        rows.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        rows.complete(seen);
      }
    });
    try {
      assertThat(awaitLatch(firstRow)).isTrue();
      assertThat(failure(session.flush())).isInstanceOf(ConcurrentSessionUseException.class)
          .hasMessageContaining("stream");
    } finally {
      proceed.countDown();
    }
    assertThat(await(rows)).extracting(r -> r.get(0, String.class)).containsExactly("a", "b");
    await(session.commit());
  }

  // ---------------------------------------------------------------- transactions

  @DatabaseTest
  void sessionExplicitBeginCommitsAndASecondBeginFails(TestDatabase db) {
    AsyncSession session = session(db);
    AsyncSessionTransaction tx = await(session.begin());
    assertThat(tx.isActive()).isTrue();
    assertThat(tx.isNested()).isFalse();
    assertThat(failure(session.begin())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("already begun");
    session.add(new Person("in tx", null));
    await(tx.commit());
    assertThat(tx.isActive()).isFalse();
    assertThat(count("session_users")).isEqualTo(1);
  }

  @DatabaseTest
  void sessionBeginNestedRollbackForgetsWhatWasInsertedInside(TestDatabase db) {
    AsyncSession session = session(db);
    Person outer = new Person("outer", null);
    session.add(outer);
    AsyncSessionTransaction savepoint = await(session.beginNested());
    assertThat(savepoint.isNested()).isTrue();
    Person inner = new Person("inner", null);
    session.add(inner);
    await(session.flush());
    await(savepoint.rollback());
    assertThat(session.contains(inner)).isFalse();
    assertThat(session.contains(outer)).isTrue();
    AsyncSessionTransaction second = await(session.beginNested());
    session.add(new Person("inner2", null));
    await(second.commit());
    await(session.commit());
    assertThat(names("select name from session_users order by id"))
        .containsExactly("outer", "inner2");
  }

  @DatabaseTest
  void sessionRunSyncGivesTheBlockingView(TestDatabase db) {
    AsyncSession session = session(db);
    long id = await(session.runSync(s -> {
      Person person = new Person("sync", null);
      s.add(person);
      s.flush();
      return person.getId();
    }));
    assertThat(await(session.getOne(Person.class, id)).getName()).isEqualTo("sync");
    assertThat(session.inTransaction()).isTrue();
    await(session.commit());
    assertThat(session.inTransaction()).isFalse();
  }

  @DatabaseTest
  void sessionInfoHoldsApplicationData(TestDatabase db) {
    AsyncSession session = session(db);
    session.info().put("request", "r-1");
    assertThat(session.info()).containsEntry("request", "r-1");
    assertThat(factory.openSession().info()).isEmpty();
  }

  @DatabaseTest
  void sessionIsolationLevelComesFromTheFactory(TestDatabase db) {
    AsyncSessionFactory serializable = AsyncSessionFactory.builder(open(db).engine())
        .isolationLevel(IsolationLevel.SERIALIZABLE).build();
    assertThat(serializable.isolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
    AsyncSession session = serializable.openSession();
    sessions.add(session);
    String sql = switch (db) {
      case POSTGRESQL -> "show transaction isolation level";
      case MARIADB -> "select @@session.tx_isolation";
      case SQLITE -> "pragma read_uncommitted";
    };
    String level = String.valueOf(await(session.execute(sql)).scalar());
    switch (db) {
      case POSTGRESQL -> assertThat(level).isEqualTo("serializable");
      case MARIADB -> assertThat(level).isEqualTo("SERIALIZABLE");
      case SQLITE -> assertThat(level).isEqualTo("0"); // SQLite transactions are always serializable
    }
    await(session.commit());
  }

  // ---------------------------------------------------------------- optimistic locking

  @DatabaseTest
  void sessionVersionStartsAtOneAndIncrementsOnUpdate(TestDatabase db) {
    AsyncSession session = session(db);
    Account account = new Account("ada", 100);
    session.add(account);
    await(session.flush());
    assertThat(account.getVersion()).isEqualTo(1);
    account.setBalance(150);
    await(session.commit());
    assertThat(account.getVersion()).isEqualTo(2);
    assertThat(scalarLong("select version from session_account")).isEqualTo(2);
  }

  @DatabaseTest
  void sessionStaleUpdateFromTwoSessionsThrowsStaleObjectException(TestDatabase db) {
    AsyncSessionFactory keep = AsyncSessionFactory.builder(open(db).engine()).expireOnCommit(false).build();
    AsyncSession first = keep.openSession();
    AsyncSession second = keep.openSession();
    sessions.add(first);
    sessions.add(second);
    Account account = new Account("ada", 100);
    first.add(account);
    await(first.commit());
    Account copy = await(second.getOne(Account.class, account.getId()));
    copy.setBalance(200);
    await(second.commit());
    account.setBalance(300);
    Throwable stale = failure(first.commit());
    assertThat(stale).isInstanceOf(StaleObjectException.class)
        .hasMessageContaining(Account.class.getName()).hasMessageContaining("id " + account.getId())
        .hasMessageContaining("version 1");
    await(first.rollback());
    assertThat(scalarLong("select balance from session_account")).isEqualTo(200);
  }

  @DatabaseTest
  void sessionStaleDeleteOfAVersionedRecordThrows(TestDatabase db) {
    AsyncSessionFactory keep = AsyncSessionFactory.builder(open(db).engine()).expireOnCommit(false).build();
    AsyncSession session = keep.openSession();
    sessions.add(session);
    session.add(new Ledger(null, "bob", 5, 0));
    await(session.flush());
    Ledger ledger = (Ledger) session.identityMap().values().iterator().next();
    assertThat(ledger.version()).isEqualTo(1);
    await(session.commit());
    externally("update session_account set version = version + 1");
    session.delete(ledger);
    assertThat(failure(session.commit())).isInstanceOf(StaleObjectException.class)
        .hasMessageContaining("DELETE").hasMessageContaining(Ledger.class.getName());
    await(session.rollback());
    assertThat(count("session_account")).isEqualTo(1);
  }

  // ---------------------------------------------------------------- misuse: overlapping operations

  @DatabaseTest
  void sessionConcurrentUseFailsTheSecondOperationAtOnce(TestDatabase db) {
    AsyncSession session = session(db);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Long> first = session.runSync(s -> {
      s.add(new Person("first", null));
      s.flush();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return s.scalar(Long.class, "select count(*) from session_users");
    });
    CompletableFuture<Optional<Person>> second = session.get(Person.class, 1L);
    assertThat(second).isCompletedExceptionally(); // at once, not queued
    assertThat(failure(second)).isInstanceOf(ConcurrentSessionUseException.class)
        .hasMessageContaining("get()").hasMessageContaining("runSync()");
    assertThatThrownBy(() -> session.add(new Person("second", null)))
        .isInstanceOf(ConcurrentSessionUseException.class).hasMessageContaining("add()");
    release.countDown();
    assertThat(await(first)).isEqualTo(1);
    await(session.commit());
    assertThat(names("select name from session_users"))
        .containsExactly("first");
  }

  @DatabaseTest
  void sessionCancelledOperationCompletesAtOnceAndTheNextWaitsUntilItsWorkStops(TestDatabase db) {
    AsyncSession session = session(db);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> blocked = session.runSync(s -> {
      s.execute("select 1");
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    CompletableFuture<Void> next;
    try {
      assertThat(awaitLatch(started)).isTrue();
      assertThat(blocked.cancel(true)).isTrue();
      assertThat(blocked).isCancelled();
      // its work is still running: the next operation waits for it instead of failing
      next = session.flush();
      assertThat(next).isNotDone();
    } finally {
      release.countDown();
    }
    // the cancelled work ran in the transaction, which the engine rolled back: rollback() first
    assertThat(failure(next)).isInstanceOf(PendingRollbackException.class).hasMessageContaining("runSync()");
    await(session.rollback());
    assertThat(await(session.scalar(Long.class, "select count(*) from session_users"))).isZero();
  }

  @DatabaseTest
  void sessionRunSyncCannotContinueAfterItsTransactionEnded(TestDatabase db) {
    AsyncSession session = session(db);
    Throwable failed = failure(session.runSync(s -> {
      s.add(new Person("committed", null));
      s.commit();
      return s.execute("select 1");
    }));
    assertThat(failed).isInstanceOf(InvalidRequestException.class).hasMessageContaining("runSync");
    assertThat(count("session_users")).isEqualTo(1);
  }

  @DatabaseTest
  void sessionNextOperationMayStartFromADependentStage(TestDatabase db) {
    AsyncSession session = session(db);
    session.add(new Person("chained", null));
    long count = await(session.flush()
        .thenCompose(v -> session.commit())
        .thenCompose(v -> session.scalar(Long.class, "select count(*) from session_users")));
    assertThat(count).isEqualTo(1);
  }

  @DatabaseTest
  void sessionReturnsEveryConnectionToThePool(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    for (int i = 0; i < 8; i++) {
      AsyncSession session = sessions.openSession();
      session.add(new Person("p" + i, null));
      switch (i % 4) {
        case 0 -> await(session.commit());
        case 1 -> await(session.flush().thenCompose(v -> session.rollback()));
        case 2 -> await(session.flush());
        default -> await(session.scalar(Long.class, "select count(*) from session_users"));
      }
      await(session.closeAsync());
    }
    await(sessions.inTransaction(s -> s.flush()));
    failure(sessions.runInTransaction(s -> {
      throw new IllegalStateException("boom");
    }));
    com.zaxxer.hikari.HikariPoolMXBean pool =
        ((com.zaxxer.hikari.HikariDataSource) engine.sync().dataSource()).getHikariPoolMXBean();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.getActiveConnections() != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(pool.getActiveConnections()).isZero();
    assertThat(count("session_users")).isEqualTo(2); // the two commits; the rest rolled back
  }

  // ---------------------------------------------------------------- factory

  @DatabaseTest
  void sessionFactoryInTransactionCommitsOnSuccess(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    Long id = await(sessions.inTransaction(session -> {
      Person person = new Person("committed", null);
      session.add(person);
      return session.flush().thenApply(v -> person.getId());
    }));
    assertThat(nameOf(id)).isEqualTo("committed");
  }

  @DatabaseTest
  void sessionFactoryInTransactionRollsBackOnFailure(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    Throwable failed = failure(sessions.inTransaction(session -> {
      session.add(new Person("rolled back", null));
      return session.flush().thenApply(v -> {
        throw new IllegalStateException("boom");
      });
    }));
    assertThat(failed).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(count("session_users")).isZero();
  }

  @DatabaseTest
  void sessionFactoryRunInTransactionCommitsOrRollsBack(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    String name = await(sessions.runInTransaction(s -> {
      s.add(new Person("blocking", null));
      return s.scalar(String.class, "select name from session_users");
    }));
    assertThat(name).isEqualTo("blocking");
    assertThat(failure(sessions.runInTransaction(s -> {
      s.add(new Person("nope", null));
      s.flush();
      throw new IllegalArgumentException("no");
    }))).isInstanceOf(IllegalArgumentException.class);
    assertThat(count("session_users")).isEqualTo(1);
  }

  @DatabaseTest
  void sessionFactoryInTransactionCancelledRollsBack(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    CountDownLatch flushed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> result = sessions.runInTransaction(s -> {
      s.add(new Person("cancelled", null));
      s.flush();
      flushed.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    try {
      assertThat(awaitLatch(flushed)).isTrue();
      result.cancel(true);
      assertThat(result).isCancelled();
      assertThatThrownBy(() -> await(result)).isInstanceOf(CancellationException.class);
    } finally {
      release.countDown();
    }
    // the rollback runs once the work has stopped
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count("session_users") != 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(count("session_users")).isZero();
  }

  @DatabaseTest
  void sessionSyncSessionWorksOnTheCallingThread(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    try (Session session = sessions.openSyncSession()) {
      Person person = new Person("sync", null);
      session.add(person);
      session.commit();
      assertThat(session.getOne(Person.class, person.getId()).getName()).isEqualTo("sync");
      try (var stream = session.streamScalars(Person.class, "select * from session_users")) {
        assertThat(stream.toList()).singleElement().isSameAs(person);
      }
      session.rollback();
    }
    assertThat(count("session_users")).isEqualTo(1);
  }

  @DatabaseTest
  void sessionSyncQueriesTakePositionalValuesAndNamedOnesOnlyThroughParams(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    try (Session session = sessions.openSyncSession()) {
      Person person = new Person("named", "named@example.com");
      session.add(person);
      Map<String, Object> byName = Map.of("name", "named");
      String sql = "select * from session_users where name = :name";
      assertThat(session.scalars(Person.class, sql, Params.named(byName))).singleElement().isSameAs(person);
      assertThat(session.scalar(Person.class, sql, Params.named(byName))).isSameAs(person);
      assertThat(session.scalar(String.class, "select email from session_users where name = :name",
          Params.named(byName))).isEqualTo("named@example.com");
      assertThat(session.execute(sql, Params.named(byName)).size()).isEqualTo(1);
      try (var rows = session.stream(sql, Params.named(byName))) {
        assertThat(rows.count()).isEqualTo(1);
      }
      try (var people = session.streamScalars(Person.class, sql, Params.named(byName))) {
        assertThat(people.toList()).singleElement().isSameAs(person);
      }
      assertThat(session.scalars(String.class, "select name from session_users where email = ?",
          "named@example.com")).containsExactly("named");
      assertThat(session.scalar(String.class, "select name from session_users where id = ?",
          Params.of(person.getId()))).isEqualTo("named");
      // A Map or a Params among the values is one positional value: refused, naming the fix.
      assertThatThrownBy(() -> session.scalars(Person.class, sql, byName))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Map")
          .hasMessageContaining("Params.named(map)");
      assertThatThrownBy(() -> session.execute("select * from session_users where name = ?", byName))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Map");
      assertThatThrownBy(() -> session.stream(sql, (Object) Params.named(byName)))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Params");
      assertThatThrownBy(() -> session.streamScalars(Person.class, sql, byName))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Map");
      assertThatThrownBy(() -> session.scalar(Long.class, "select count(*) from session_users where name = :name", byName))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Map");
      // The refusals sent nothing: the transaction is intact and commits.
      session.commit();
    }
    assertThat(count("session_users")).isEqualTo(1);
  }

  @DatabaseTest
  void sessionWritesTheColumnTheRowMapperReads(TestDatabase db) {
    AsyncSessionFactory sessions = open(db);
    Contact contact = new Contact();
    contact.setName("contact");
    contact.setMail("contact@example.com");
    try (Session session = sessions.openSyncSession()) {
      session.add(contact);
      session.commit();
    }
    String stored = await(engine.runSync(c -> c.scalar(String.class,
        "select email from session_users where id = ?", contact.getId())));
    assertThat(stored).isEqualTo("contact@example.com");
    try (Session session = sessions.openSyncSession()) {
      Contact loaded = session.getOne(Contact.class, contact.getId());
      assertThat(loaded.getMail()).isEqualTo("contact@example.com");
      loaded.setMail("changed@example.com");
      session.commit();
      assertThat(session.getOne(Contact.class, contact.getId()).getMail()).isEqualTo("changed@example.com");
    }
  }

  @DatabaseTest
  void sessionEchoLogPrintsNamedValuesAsPositionalOnes(TestDatabase db) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try (AsyncEngine echoing = db.engine(b -> b.echo(true))) {
      Entities.create(echoing.sync(), db);
      try (Session session = AsyncSessionFactory.of(echoing).openSyncSession()) {
        session.execute("select * from session_users where name = :name or email = :email",
            Params.named(new java.util.TreeMap<>(Map.of("name", "n".repeat(150), "email", "e@x"))));
        session.execute("select * from session_users where name = ? or email = ?", "p", "e@y");
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log)
        .contains(":email {email='e@x', name='" + "n".repeat(100) + "…(150 chars)'} (")
        .contains("or email = ? ['p', 'e@y'] (");
  }

  // ---------------------------------------------------------------- helpers

  private static boolean awaitLatch(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Collects a publisher's items, requesting {@code batch} at a time. */
  static <T> List<T> collect(Flow.Publisher<T> publisher, int batch) {
    CompletableFuture<List<T>> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<T>() {
      private final List<T> items = new ArrayList<>();
      private Flow.Subscription subscription;
      private int left;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        left = batch;
        s.request(batch);
      }

      @Override
      public void onNext(T item) {
        items.add(item);
        if (--left == 0) {
          left = batch;
          subscription.request(batch);
        }
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(items);
      }
    });
    return await(done);
  }
}
