package io.asyncengine.options;


import java.sql.Connection;

/**
 * Transaction isolation levels, as JDBC defines them.
 *
 * <p>A dialect may run a level stricter than the one asked for when the database lacks it
 * (SQLite knows only {@link #SERIALIZABLE} and {@link #READ_UNCOMMITTED}); the SQL standard
 * allows that, and {@code isolationLevel()} reports what is really in force.
 */
public enum IsolationLevel {
  /** Dirty reads allowed. */
  READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
  /** Sees only committed data; the default of PostgreSQL. */
  READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
  /** Repeated reads see the same rows; the default of MariaDB. */
  REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
  /** Transactions behave as if run one after another. */
  SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE),
  /**
   * No implicit transaction: each statement commits as it completes, and closing a connection has
   * nothing to roll back (SQLAlchemy's {@code isolation_level="AUTOCOMMIT"}). An explicit
   * {@code begin()} or {@code beginNested()} still opens a real transaction, and a cursor (a
   * stream) runs in a transaction of its own, committed when it closes, because PostgreSQL streams
   * only inside one. Not a JDBC level: {@link #jdbcLevel()} is {@code TRANSACTION_NONE}, and the
   * database's default level applies to explicit transactions.
   */
  AUTOCOMMIT(Connection.TRANSACTION_NONE);

  private final int jdbcLevel;

  IsolationLevel(int jdbcLevel) {
    this.jdbcLevel = jdbcLevel;
  }

  /** The {@code java.sql.Connection.TRANSACTION_*} constant of this level. */
  public int jdbcLevel() {
    return jdbcLevel;
  }

  /**
   * The level of a {@code java.sql.Connection.TRANSACTION_*} constant.
   *
   * @throws IllegalArgumentException for {@code TRANSACTION_NONE} or an unknown value
   */
  public static IsolationLevel fromJdbc(int jdbcLevel) {
    for (IsolationLevel level : values()) {
      if (level != AUTOCOMMIT && level.jdbcLevel == jdbcLevel) {
        return level;
      }
    }
    throw new IllegalArgumentException("No isolation level for JDBC constant " + jdbcLevel);
  }
}
