package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StaleObjectException;
import io.asyncengine.mapping.Table;
import io.asyncengine.mapping.Version;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SQLite in WAL mode: a transaction that read a row and then writes it after another connection
 * committed a change fails with SQLITE_BUSY_SNAPSHOT. That is a concurrency conflict, never
 * "connection lost": a stale object in a session's versioned update, a serialization failure
 * (which the retry policy retries) elsewhere.
 */
class SqliteStaleSnapshotTest {

  /** A versioned POJO on a table of this test's own. */
  @Table("stalesnap_account")
  public static final class SnapAccount {
    private Long id;
    private long balance;
    @Version private long version;

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public long getBalance() {
      return balance;
    }

    public void setBalance(long balance) {
      this.balance = balance;
    }

    public long getVersion() {
      return version;
    }

    public void setVersion(long version) {
      this.version = version;
    }
  }

  private AsyncEngine engine;

  @AfterEach
  void dispose() {
    if (engine != null) {
      engine.close();
    }
  }

  private AsyncSessionFactory open() {
    engine = TestDatabase.SQLITE.engine();
    Schema.recreate(engine.sync(), "stalesnap_account", "create table stalesnap_account"
        + " (id integer primary key autoincrement, balance bigint not null, version bigint not null)");
    await(engine.runSyncInTransaction(c -> c.execute(
        "insert into stalesnap_account (balance, version) values (100, 1)")));
    return AsyncSessionFactory.of(engine);
  }

  private long balance() {
    Long value = await(engine.runSync(c -> c.scalar(Long.class, "select balance from stalesnap_account")));
    return value;
  }

  @Test
  void sessionVersionedUpdateAfterAnotherSessionCommittedIsAStaleObject() {
    AsyncSessionFactory factory = open();
    try (AsyncSession first = factory.openSession(); AsyncSession second = factory.openSession()) {
      SnapAccount mine = await(first.getOne(SnapAccount.class, 1L));
      SnapAccount theirs = await(second.getOne(SnapAccount.class, 1L));
      theirs.setBalance(200);
      await(second.commit());

      mine.setBalance(300);
      Throwable failed = failure(first.commit());
      assertThat(failed).isInstanceOf(StaleObjectException.class)
          .hasMessageContaining(SnapAccount.class.getName()).hasMessageContaining("id 1")
          .hasMessageNotContaining("connection lost");
      assertThat(failed.getCause()).isInstanceOf(SerializationFailureException.class);
      assertThat(failure(first.flush())).isInstanceOf(PendingRollbackException.class);
      await(first.rollback());
      assertThat(await(first.getOne(SnapAccount.class, 1L)).getBalance()).isEqualTo(200);
    }
    assertThat(balance()).isEqualTo(200);
  }

  @Test
  void plainUpdateOnAStaleSnapshotIsASerializationFailure() {
    open();
    AsyncConnection reader = await(engine.connect());
    try {
      assertThat(await(reader.scalar(Long.class, "select balance from stalesnap_account where id = 1")))
          .isEqualTo(100);
      await(engine.runSyncInTransaction(c -> c.execute("update stalesnap_account set balance = 200 where id = 1")));
      Throwable failed = failure(reader.execute("update stalesnap_account set balance = 300 where id = 1"));
      assertThat(failed).isInstanceOf(SerializationFailureException.class)
          .isInstanceOf(OperationalException.class)
          .hasMessageNotContaining("connection lost");
      await(reader.rollback());
      await(reader.execute("update stalesnap_account set balance = 300 where id = 1"));
      await(reader.commit());
    } finally {
      await(reader.close());
    }
    assertThat(balance()).isEqualTo(300);
  }
}
