package io.asyncengine;

import static io.asyncengine.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.asyncio.AsyncSessionTransaction;
import io.asyncengine.asyncio.AsyncTransaction;
import io.asyncengine.core.Engine;
import io.asyncengine.core.PoolStatus;
import io.asyncengine.core.SqlConnection;
import io.asyncengine.core.Transaction;
import io.asyncengine.mapping.Id;
import io.asyncengine.mapping.Table;
import io.asyncengine.session.Session;
import io.asyncengine.session.SessionTransaction;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * SQLAlchemy's state accessors: the current transaction and savepoint of a connection and a
 * session ({@code get_transaction()}, {@code get_nested_transaction()}), the pool's status and a
 * connection's {@code info} map.
 */
class ConnectionStateParityTest {

  @Table("parity_items")
  record Item(@Id(generated = false) Long id, String name) {}

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncEngine open(TestDatabase db) {
    engine = db.engine(builder -> builder.maxPoolSize(3));
    Schema.recreate(engine.sync(), "parity_items", "create table parity_items (id integer primary key, name varchar(40))");
    return engine;
  }

  @DatabaseTest
  void aConnectionNamesItsTransactionAndInnermostSavepoint(TestDatabase db) {
    AsyncConnection conn = await(open(db).connect());
    assertThat(conn.getTransaction()).isNull();
    assertThat(conn.getNestedTransaction()).isNull();

    await(conn.execute("insert into parity_items (id, name) values (?, ?)", 1, "autobegun"));
    AsyncTransaction autobegun = conn.getTransaction();
    assertThat(autobegun).isNotNull();
    assertThat(autobegun.isNested()).isFalse();
    assertThat(autobegun.isActive()).isTrue();
    assertThat(conn.getTransaction()).isEqualTo(autobegun);
    assertThat(conn.getNestedTransaction()).isNull();

    AsyncTransaction outer = await(conn.beginNested());
    AsyncTransaction inner = await(conn.beginNested());
    assertThat(conn.getNestedTransaction()).isEqualTo(inner).isNotEqualTo(outer);
    assertThat(conn.getTransaction()).isEqualTo(autobegun);
    await(inner.rollback());
    assertThat(conn.getNestedTransaction()).isEqualTo(outer);
    await(conn.getNestedTransaction().commit());
    assertThat(conn.getNestedTransaction()).isNull();

    await(conn.getTransaction().commit());
    assertThat(conn.getTransaction()).isNull();
    assertThat(autobegun.isActive()).isFalse();

    AsyncTransaction explicit = await(conn.begin());
    assertThat(conn.getTransaction()).isEqualTo(explicit).isNotEqualTo(autobegun);
    await(conn.beginNested());
    await(conn.rollback()); // ending the root ends its savepoints
    assertThat(conn.getTransaction()).isNull();
    assertThat(conn.getNestedTransaction()).isNull();
    await(conn.close());
    Long count = await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from parity_items")));
    assertThat(count).isEqualTo(1L);
  }

  @DatabaseTest
  void theSynchronousConnectionHasTheSameAccessors(TestDatabase db) {
    Engine sync = open(db).sync();
    try (SqlConnection conn = sync.connect()) {
      assertThat(conn.getTransaction()).isNull();
      Transaction root = conn.begin();
      assertThat(conn.getTransaction()).isSameAs(root).isSameAs(conn.transaction());
      Transaction first = conn.beginNested();
      Transaction second = conn.beginNested();
      assertThat(conn.getNestedTransaction()).isSameAs(second);
      first.rollback(); // ends the savepoint opened inside it too
      assertThat(second.isActive()).isFalse();
      assertThat(conn.getNestedTransaction()).isNull();
      assertThat(conn.inNestedTransaction()).isFalse();
      root.commit();
      assertThat(conn.getTransaction()).isNull();
    }
  }

  @DatabaseTest
  void theAccessorsReadFromAnotherThreadWithoutWaitingForTheLane(TestDatabase db) throws Exception {
    AsyncConnection conn = await(open(db).connect());
    await(conn.begin());
    await(conn.beginNested());
    // A long statement occupies the lane; the getters answer at once from this thread.
    CompletableFuture<Object> busy = conn.runSync(c -> {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    long start = System.nanoTime();
    assertThat(conn.getTransaction()).isNotNull();
    assertThat(conn.getNestedTransaction()).isNotNull();
    assertThat(conn.info()).isEmpty();
    assertThat(engine.poolStatus().checkedOut()).isEqualTo(1);
    assertThat(busy).as("the getters must not wait for the lane").isNotDone();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    await(busy);
    await(conn.close());
  }

  @DatabaseTest
  void aSessionNamesItsTransactionAndSavepoint(TestDatabase db) {
    AsyncSessionFactory factory = AsyncSessionFactory.of(open(db));
    AsyncSession session = factory.openSession();
    assertThat(session.getTransaction()).isNull();
    AsyncSessionTransaction begun = await(session.begin());
    assertThat(session.getTransaction()).isEqualTo(begun);
    session.add(new Item(1L, "kept"));
    AsyncSessionTransaction savepoint = await(session.beginNested());
    assertThat(session.getNestedTransaction()).isEqualTo(savepoint).isNotEqualTo(begun);
    assertThat(session.getNestedTransaction().isNested()).isTrue();
    session.add(new Item(2L, "dropped"));
    await(session.getNestedTransaction().rollback());
    assertThat(session.getNestedTransaction()).isNull();
    await(session.getTransaction().commit());
    assertThat(session.getTransaction()).isNull();
    assertThat(begun.isActive()).isFalse();

    // Autobegun by the first I/O: the same handle until that transaction ends.
    await(session.get(Item.class, 1L));
    AsyncSessionTransaction autobegun = session.getTransaction();
    assertThat(autobegun).isNotNull().isNotEqualTo(begun);
    assertThat(autobegun.isActive()).isTrue();
    assertThat(session.getTransaction()).isEqualTo(autobegun);
    await(session.rollback());
    assertThat(session.getTransaction()).isNull();
    assertThat(autobegun.isActive()).isFalse();
    await(session.closeAsync());
    List<Long> ids = await(engine.runSync(c -> c.scalars(Long.class, "select id from parity_items order by id")));
    assertThat(ids).containsExactly(1L);
  }

  @DatabaseTest
  void theSynchronousSessionHasTheSameAccessors(TestDatabase db) {
    try (Session session = AsyncSessionFactory.of(open(db)).openSyncSession()) {
      assertThat(session.getTransaction()).isNull();
      SessionTransaction root = session.begin();
      assertThat(session.getTransaction()).isSameAs(root);
      SessionTransaction nested = session.beginNested();
      assertThat(session.getNestedTransaction()).isSameAs(nested);
      nested.commit();
      assertThat(session.getNestedTransaction()).isNull();
      session.commit();
      assertThat(root.isActive()).isFalse();
      root.close(); // ended through the session: closing the handle does nothing
      assertThat(session.getTransaction()).isNull();
      session.execute("select 1");
      SessionTransaction autobegun = session.getTransaction();
      assertThat(autobegun).isNotNull().isNotSameAs(root);
      assertThat(session.getTransaction()).isSameAs(autobegun);
    }
  }

  @DatabaseTest
  void poolStatusCountsCheckedOutIdleAndTheGate(TestDatabase db) throws Exception {
    open(db);
    PoolStatus before = engine.poolStatus();
    assertThat(before.known()).isTrue();
    assertThat(before.maxSize()).isEqualTo(engine.sync().maxPoolSize());
    assertThat(before.checkedOut()).isZero();
    assertThat(before.gate()).isNotNull();
    assertThat(before.gate().capacity()).isEqualTo(engine.gateStats().maxConcurrency());
    assertThat(before.gate().inUse()).isZero();
    assertThat(engine.sync().poolStatus().gate()).isNull();

    List<AsyncConnection> held = new ArrayList<>();
    int max = before.maxSize();
    for (int i = 0; i < max; i++) {
      held.add(await(engine.connect()));
    }
    CompletableFuture<AsyncConnection> waiter = engine.connect();
    PoolStatus full = engine.poolStatus();
    assertThat(full.checkedOut()).isEqualTo(max);
    assertThat(full.idle()).isZero();
    assertThat(full.total()).isGreaterThanOrEqualTo(max);
    assertThat(full.gate().inUse()).isEqualTo(full.gate().capacity());
    awaitCondition(() -> engine.poolStatus().gate().waiting() == 1, "one caller waiting in the gate");
    for (AsyncConnection conn : held) {
      await(conn.close());
    }
    await(await(waiter).close());
    awaitCondition(() -> engine.poolStatus().checkedOut() == 0 && engine.poolStatus().gate().inUse() == 0,
        "everything returned");
    PoolStatus after = engine.poolStatus();
    assertThat(after.idle()).isEqualTo(after.total()).isPositive();
    assertThat(after.waiting()).isZero();
  }

  @DatabaseTest
  void infoLivesForOneCheckout(TestDatabase db) {
    open(db);
    AsyncConnection conn = await(engine.connect());
    conn.info().put("tenant", "acme");
    assertThat(conn.timeout(java.time.Duration.ofSeconds(5)).info()).containsEntry("tenant", "acme");
    assertThat(await(conn.runSync(SqlConnection::info))).containsEntry("tenant", "acme");
    await(conn.close());
    // The next checkout, of the same physical connection where the pool reuses it, starts empty.
    AsyncConnection next = await(engine.connect());
    assertThat(next.info()).isEmpty();
    await(next.close());
    try (SqlConnection sync = engine.sync().connect()) {
      assertThat(sync.info()).isEmpty();
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not reached within 10 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
