package io.asyncengine.session;

import static io.asyncengine.testing.Await.await;
import static io.asyncengine.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.PendingRollbackException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.mapping.Table;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A commit that fails leaves the session needing rollback(): a second commit must not report
 * success for the flushed work the database rolled back. Provoked with a deferred unique
 * constraint, checked at COMMIT, which only PostgreSQL has for unique keys. And the blocking
 * session after a failed statement on PostgreSQL, whose COMMIT would then silently roll back.
 */
class SessionPendingRollbackTest {

  /** A POJO on a table of this test's own with a deferred unique constraint. */
  @Table("pendingrb_code")
  public static final class PendingCode {
    private Long id;
    private int code;

    public PendingCode() {}

    PendingCode(long id, int code) {
      this.id = id;
      this.code = code;
    }

    public Long getId() {
      return id;
    }

    public void setId(Long id) {
      this.id = id;
    }

    public int getCode() {
      return code;
    }

    public void setCode(int code) {
      this.code = code;
    }
  }

  @Test
  void sessionCommitThatFailedAtCommitTimeNeedsRollback() {
    try (AsyncEngine engine = TestDatabase.POSTGRESQL.engine()) {
      Schema.recreate(engine.sync(), "pendingrb_code", "create table pendingrb_code (id bigint primary key,"
          + " code int not null, constraint pendingrb_code_unique unique (code) deferrable initially deferred)");
      AsyncSession session = AsyncSessionFactory.of(engine).openSession();
      session.add(new PendingCode(1, 7));
      session.add(new PendingCode(2, 7));
      await(session.flush()); // deferred: accepted until COMMIT
      assertThat(failure(session.commit())).isInstanceOf(IntegrityViolationException.class);
      Throwable refused = failure(session.commit());
      assertThat(refused).isInstanceOf(PendingRollbackException.class)
          .hasMessageContaining("commit failed").hasCauseInstanceOf(IntegrityViolationException.class);
      await(session.rollback());
      assertThat(await(session.get(PendingCode.class, 1L))).isEmpty();
      session.add(new PendingCode(3, 8));
      await(session.commit());
      Long rows = await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from pendingrb_code")));
      assertThat(rows).isEqualTo(1);
      await(session.closeAsync());
    }
  }

  @Test
  void syncSessionCommitAfterAFailedStatementOnPostgresqlNeedsRollback() {
    try (AsyncEngine engine = TestDatabase.POSTGRESQL.engine()) {
      Schema.recreate(engine.sync(), "pendingrb_code", "create table pendingrb_code (id bigint primary key,"
          + " code int not null)");
      try (Session session = AsyncSessionFactory.of(engine).openSyncSession()) {
        session.add(new PendingCode(1, 7));
        session.flush();
        assertThatThrownBy(() -> session.execute("select * from pendingrb_no_such_table"))
            .isInstanceOf(ProgrammingException.class);
        assertThatThrownBy(session::commit).isInstanceOf(PendingRollbackException.class)
            .hasMessageContaining("failed statement").hasCauseInstanceOf(ProgrammingException.class);
        session.rollback();
        session.add(new PendingCode(2, 8));
        session.commit();
      }
      Long rows = await(engine.runSync(c -> c.scalar(Long.class, "select count(*) from pendingrb_code where id = 2")));
      assertThat(rows).isEqualTo(1);
    }
  }
}
