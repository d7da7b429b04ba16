package io.asyncengine.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.asyncengine.dialect.Dialect;
import io.asyncengine.testing.ServerActivity;
import io.asyncengine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Killing the server session of a connection the engine gives up on (MariaDB), on the real server:
 * the session id is read once per physical connection, a kill ends the statement running there at
 * once, and killing a session that has already ended is harmless.
 */
class ServerSessionsTest {

  @Test
  void aKilledSessionStopsItsStatementAtOnce() throws Exception {
    TestDatabase db = TestDatabase.MARIADB;
    String marker = ServerActivity.marker("kill_session");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(0);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      Pool pool = new Pool(hikari, true, 2, Duration.ofSeconds(30));
      ServerSessions sessions = new ServerSessions(Dialect.mariadb(), pool);
      Connection pooled = pool.borrow();
      ServerSessions.Session session = sessions.register(pooled);
      assertThat(session.id()).isEqualTo(connectionId(pooled));
      assertThat(sessions.register(pooled).id()).as("cached for the physical connection").isEqualTo(session.id());

      CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
        try (Statement statement = pooled.createStatement()) {
          statement.execute(ServerActivity.slowQuery(db, marker));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, command -> Thread.ofVirtual().start(command));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ServerActivity.running(db, marker) == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(ServerActivity.running(db, marker)).isEqualTo(1);

      sessions.kill(session);
      ServerActivity.awaitNone(db, marker, Duration.ofSeconds(3));
      assertThat(sleeping).failsWithin(Duration.ofSeconds(3));

      sessions.kill(session); // already gone: "unknown thread id", nothing to do
      long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (sessions.pendingKills() > 0 && System.nanoTime() < quiet) {
        Thread.sleep(10);
      }
      assertThat(sessions.pendingKills()).isZero();
      hikari.evictConnection(pooled);
    }
  }

  @Test
  void dialectsWithoutSessionsAreNeverAsked() {
    ServerSessions sessions = new ServerSessions(Dialect.postgresql(), new Pool(new HikariDataSource(), false, 10, Duration.ofSeconds(30)));
    // No query is run: the connection is not even looked at.
    assertThat(sessions.register(null)).isSameAs(ServerSessions.Session.NONE);
    sessions.kill(ServerSessions.Session.NONE);
    assertThat(sessions.pendingKills()).isZero();
  }

  private static long connectionId(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select connection_id()")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
