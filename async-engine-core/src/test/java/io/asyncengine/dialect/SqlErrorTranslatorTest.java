package io.asyncengine.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.error.AsyncEngineException;
import io.asyncengine.error.ConnectionLostException;
import io.asyncengine.error.DataException;
import io.asyncengine.error.DatabaseException;
import io.asyncengine.error.IntegrityViolationException;
import io.asyncengine.error.OperationalException;
import io.asyncengine.error.ProgrammingException;
import io.asyncengine.error.SerializationFailureException;
import io.asyncengine.error.StatementTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Translation rules that real databases cannot be made to show on demand. */
class SqlErrorTranslatorTest {

  @Test
  void messageNamesKindDriverMessageSqlParametersAndCodes() {
    RuntimeException ex = Dialect.postgresql().translate("execute", "INSERT INTO t VALUES (?)", "[1]",
        new SQLException("ERROR: duplicate key", "23505", 0));
    assertThat(ex).isInstanceOf(IntegrityViolationException.class);
    assertThat(ex.getMessage()).isEqualTo("Unique or other constraint violated: ERROR: duplicate key"
        + " [SQL: INSERT INTO t VALUES (?)] [parameters: [1]] [SQLState: 23505, vendor code: 0]");
    assertThat(((AsyncEngineException) ex).sql()).isEqualTo("INSERT INTO t VALUES (?)");
    assertThat(((AsyncEngineException) ex).sqlState()).isEqualTo("23505");
  }

  @Test
  void withoutSqlTheOperationIsNamedAndHiddenParametersAreLeftOut() {
    RuntimeException ex = Dialect.postgresql().translate("commit", null, null,
        new SQLException("ERROR: could not serialize access", "40001"));
    assertThat(ex).isInstanceOf(SerializationFailureException.class);
    assertThat(ex.getMessage()).isEqualTo("Serialization failure or deadlock, the transaction may be retried:"
        + " ERROR: could not serialize access [operation: commit] [SQLState: 40001, vendor code: 0]");
  }

  @Test
  void longSqlAndParametersAreTruncated() {
    String sql = "SELECT " + "x".repeat(2000);
    String parameters = "p".repeat(600);
    RuntimeException ex = Dialect.generic().translate("execute", sql, parameters, new SQLException("boom", "42000"));
    assertThat(ex.getMessage())
        .contains("[SQL: " + sql.substring(0, 1000) + "…]")
        .contains("[parameters: " + "p".repeat(500) + "…]")
        .doesNotContain("x".repeat(1001));
    assertThat(((AsyncEngineException) ex).sql()).isEqualTo(sql);
  }

  @Test
  void nextExceptionIsConsultedOnlyWhenTheFirstHasNoSqlState() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 failed", null, 0, new int[0], null);
    SQLException real = new SQLException("duplicate key", "23505");
    batch.setNextException(real);
    RuntimeException ex = Dialect.postgresql().translate("executeBatch", "INSERT", null, batch);
    assertThat(ex).isInstanceOf(IntegrityViolationException.class).hasCause(real);
    assertThat(ex.getSuppressed()).containsExactly(batch);

    SQLException first = new SQLException("syntax", "42601");
    first.setNextException(new SQLException("duplicate key", "23505"));
    assertThat(Dialect.postgresql().translate("execute", "X", null, first))
        .isInstanceOf(ProgrammingException.class).hasCause(first);
  }

  @Test
  void sqlStateOutranksTheJdbcSubclass() {
    // MariaDB Connector/J 3.5 really throws these combinations.
    assertThat(Dialect.mariadb().translate("execute", "X", null,
        new SQLSyntaxErrorException("Division by 0", "22012", 1365))).isInstanceOf(DataException.class);
    assertThat(Dialect.mariadb().translate("execute", "X", null,
        new SQLTransientConnectionException("Parameter at position 2 is not set", "07004", -1)))
        .isInstanceOf(ProgrammingException.class);
  }

  @Test
  void mariaDbVendorCodesSplitSqlState70100() {
    assertThat(Dialect.mariadb().translate("execute", "X", null,
        new SQLTimeoutException("Query execution was interrupted", "70100", 1317)))
        .isInstanceOf(StatementTimeoutException.class);
    RuntimeException killed = Dialect.mariadb().translate("execute", "X", null,
        new SQLException("Connection was killed", "70100", 1927));
    assertThat(killed).isInstanceOf(OperationalException.class).isNotInstanceOf(StatementTimeoutException.class);
    assertThat(Dialect.mariadb().translate("execute", "X", null,
        new SQLException("max_execution_time exceeded", "HY000", 3024))).isInstanceOf(StatementTimeoutException.class);
  }

  @Test
  void sqliteUsesThePrimaryOfAnExtendedResultCode() {
    // 2067 = SQLITE_CONSTRAINT_UNIQUE, 517 = SQLITE_BUSY_SNAPSHOT
    assertThat(Dialect.sqlite().translate("execute", "X", null, new SQLException("unique", null, 2067)))
        .isInstanceOf(IntegrityViolationException.class);
    assertThat(Dialect.sqlite().translate("execute", "X", null, new SQLException("busy", null, 517)))
        .isInstanceOf(OperationalException.class);
    RuntimeException ex = Dialect.sqlite().translate("execute", "X", null, new SQLException("closed", null, 0));
    assertThat(ex.getClass()).isEqualTo(DatabaseException.class);
    assertThat(ex.getMessage()).endsWith("[SQLState: none, vendor code: 0]");
  }

  @Test
  void jdbcSubclassDecidesWhenTheSqlStateSaysNothing() {
    assertThat(Dialect.generic().translate("connect", null, null,
        new SQLNonTransientConnectionException("refused", "HY000"))).isInstanceOf(OperationalException.class);
    assertThat(Dialect.generic().translate("execute", "X", null,
        new SQLTimeoutException("timed out"))).isInstanceOf(StatementTimeoutException.class);
    RuntimeException other = Dialect.generic().translate("execute", "X", null, new SQLException((String) null));
    assertThat(other.getClass()).isEqualTo(DatabaseException.class);
    assertThat(other.getMessage()).startsWith("Database error: java.sql.SQLException [SQL: X]");
  }

  @Test
  void exceptionTranslatorDelegatesToTheDialect() {
    assertThat(Dialect.postgresql().exceptionTranslator()
        .translate("execute", "X", null, new SQLException("bad", "22003"))).isInstanceOf(DataException.class);
  }

  @Test
  void connectionLossIsItsOwnKindOnEveryDialect() {
    for (String state : new String[] {"08000", "08003", "08006", "08S01", "57P01", "57P02", "57P03"}) {
      SQLException lost = new SQLException("gone", state, 0);
      assertThat(Dialect.postgresql().translate("execute", "X", null, lost))
          .as(state).isInstanceOf(ConnectionLostException.class)
          .hasMessageStartingWith("Connection to the database lost: gone");
      assertThat(Dialect.postgresql().isConnectionLost(lost)).as(state).isTrue();
      assertThat(Dialect.generic().isConnectionLost(lost)).as(state).isTrue();
      assertThat(Dialect.mariadb().isConnectionLost(lost)).as(state).isTrue();
    }
    for (int code : new int[] {1927, 2006, 2013}) {
      SQLException lost = new SQLException("killed", "70100", code);
      assertThat(Dialect.mariadb().translate("execute", "X", null, lost)).isInstanceOf(ConnectionLostException.class);
      assertThat(Dialect.mariadb().isConnectionLost(lost)).isTrue();
    }
    // The same SQLState from KILL QUERY only stops the statement.
    assertThat(Dialect.mariadb().isConnectionLost(new SQLException("interrupted", "70100", 1317))).isFalse();
    assertThat(Dialect.generic().isConnectionLost(new SQLNonTransientConnectionException("closed"))).isTrue();
    assertThat(Dialect.generic().isConnectionLost(new SQLRecoverableException("reset"))).isTrue();
    assertThat(Dialect.postgresql().isConnectionLost(new SQLException("57014 is a cancel", "57014"))).isFalse();
    assertThat(Dialect.postgresql().isConnectionLost(new SQLException("deadlock", "40P01"))).isFalse();
    // A chain whose first link has no SQLState is judged by the link that has one.
    SQLException chained = new SQLException("batch failed");
    chained.setNextException(new SQLException("I/O error", "08006"));
    assertThat(Dialect.postgresql().isConnectionLost(chained)).isTrue();
  }

  @Test
  void lockWaitTimeoutIsNotASerializationFailure() {
    RuntimeException ex = Dialect.mariadb().translate("execute", "X", null,
        new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    assertThat(ex).isInstanceOf(OperationalException.class).isNotInstanceOf(SerializationFailureException.class)
        .isNotInstanceOf(ConnectionLostException.class);
    assertThat(Dialect.mariadb().translate("execute", "X", null, new SQLException("Deadlock found", "40001", 1213)))
        .isInstanceOf(SerializationFailureException.class);
  }

  @Test
  void withoutParametersPostgresqlKeepsOnlyTheFirstLineOfTheServerMessage() {
    SQLException driver = new SQLException("ERROR: duplicate key value violates unique constraint \"u_email\"\n"
        + "  Detail: Key (email)=(a@b.c) already exists.", "23505", 0);
    RuntimeException hidden = Dialect.postgresql().translate("execute", "INSERT", null, driver);
    assertThat(hidden.getMessage()).isEqualTo("Unique or other constraint violated: ERROR: duplicate key value"
        + " violates unique constraint \"u_email\" [SQL: INSERT] [SQLState: 23505, vendor code: 0]");
    assertThat(hidden).hasCause(driver);
    assertThat(Dialect.postgresql().translate("execute", "INSERT", "['a@b.c']", driver).getMessage())
        .contains("Detail: Key (email)=(a@b.c) already exists.").contains("[parameters: ['a@b.c']]");
    assertThat(Dialect.postgresql().translate("commit", null, "", driver).getMessage())
        .contains("Detail: Key (email)=(a@b.c)").doesNotContain("[parameters");
  }

  @Test
  void withoutParametersMariaDbQuotedValuesAreHidden() {
    assertThat(mariaDbMessage("(conn=7) Duplicate entry 'it''s ' for key ' me' for key 'email'", 1062))
        .startsWith("Unique or other constraint violated: (conn=7) Duplicate entry [value hidden] for key 'email' [SQL: X]");
    assertThat(mariaDbMessage("Incorrect integer value: 'abc' for column `db`.`t`.`id` at row 1", 1366))
        .contains(": Incorrect integer value: [value hidden] for column `db`.`t`.`id` at row 1 [");
    assertThat(mariaDbMessage("Truncated incorrect DOUBLE value: 'abc'", 1292))
        .contains(": Truncated incorrect DOUBLE value: [value hidden] [");
    assertThat(mariaDbMessage("You have an error in your SQL syntax; check the manual that corresponds to your"
        + " MariaDB server version for the right syntax to use near ''secret' at line 1", 1064))
        .contains("to use near [value hidden] at line 1 [").doesNotContain("secret");
    assertThat(mariaDbMessage("Column 'email' cannot be null", 1048)).contains("Column 'email' cannot be null");
  }

  @Test
  void withoutParametersABatchIsDescribedByTheStatementThatFailed() {
    BatchUpdateException batch = new BatchUpdateException(
        "Batch entry 0 insert into t values (('a@b.c')) was aborted: ERROR: duplicate key", "23505", 0, new int[0], null);
    batch.setNextException(new SQLException("ERROR: duplicate key\n  Detail: Key (email)=(a@b.c) already exists.", "23505"));
    RuntimeException ex = Dialect.postgresql().translate("executeBatch", "INSERT", null, batch);
    assertThat(ex.getMessage()).startsWith("Unique or other constraint violated: ERROR: duplicate key [SQL: INSERT]")
        .doesNotContain("a@b.c");
    assertThat(ex).hasCause(batch);
  }

  private static String mariaDbMessage(String driverMessage, int code) {
    String state = code == 1062 ? "23000" : code == 1064 ? "42000" : "22007";
    return Dialect.mariadb().translate("execute", "X", null, new SQLException(driverMessage, state, code)).getMessage();
  }
}
