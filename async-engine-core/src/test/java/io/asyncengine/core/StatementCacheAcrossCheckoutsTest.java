package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.TestDatabase;
import java.sql.PreparedStatement;

/**
 * Prepared statements are cached per physical connection, so a statement
 * prepared in one checkout is reused by the next instead of being prepared again.
 */
class StatementCacheAcrossCheckoutsTest {

  private static final String SQL = "select 1 as one";

  @DatabaseTest
  void theNextCheckoutOfTheSamePhysicalConnectionReusesItsStatements(TestDatabase db) throws Exception {
    try (AsyncEngine async = db.engine(b -> b.maxPoolSize(1))) {
      Engine engine = async.sync();
      PreparedStatement first;
      try (SqlConnection connection = engine.connect()) {
        assertThat(connection.scalar(Integer.class, SQL)).isEqualTo(1);
        first = engine.statementCaches().of(connection.jdbc()).prepare(SQL, false);
      }
      try (SqlConnection connection = engine.connect()) {
        PreparedStatement second = engine.statementCaches().of(connection.jdbc()).prepare(SQL, false);
        assertThat(second).isSameAs(first);
        assertThat(second.isClosed()).isFalse(); // the pool's check-in did not close it
        assertThat(connection.scalar(Integer.class, SQL)).isEqualTo(1);
      }
    }
  }

  @DatabaseTest
  void aConnectionThePoolReplacedTakesItsCacheAlong(TestDatabase db) throws Exception {
    try (AsyncEngine async = db.engine(b -> b.maxPoolSize(1))) {
      Engine engine = async.sync();
      PreparedStatement old;
      try (SqlConnection connection = engine.connect()) {
        connection.execute(SQL);
        old = engine.statementCaches().of(connection.jdbc()).prepare(SQL, false);
        connection.invalidate(); // evicted: the pool opens a new physical connection
      }
      try (SqlConnection connection = engine.connect()) {
        assertThat(connection.scalar(Integer.class, SQL)).isEqualTo(1);
        assertThat(engine.statementCaches().of(connection.jdbc()).prepare(SQL, false)).isNotSameAs(old);
        assertThat(engine.statementCaches().size()).isEqualTo(1); // the dead connection's cache is gone
      }
      assertThat(old.isClosed()).isTrue();
    }
  }
}
