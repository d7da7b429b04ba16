package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.function.LongConsumer;

/**
 * {@code raw-jdbc}: hand-written JDBC on the calling platform thread, one connection, prepared
 * statements reused: the limit for sequential work. Concurrent workloads run their tasks one after
 * another on that thread, which is what "no concurrency at all" costs.
 */
public final class RawJdbcContender implements Contender {

  private Connection connection;
  private PreparedStatement lookup;
  private PreparedStatement read;
  private PreparedStatement bump;
  private BenchDatabase db;

  @Override
  public String name() {
    return "raw-jdbc";
  }

  @Override
  public void open(BenchDatabase db, int poolSize) throws Exception {
    this.db = db;
    connection = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
    lookup = connection.prepareStatement(BenchDatabase.LOOKUP);
    read = connection.prepareStatement(BenchDatabase.READ_COUNTER);
    bump = connection.prepareStatement(BenchDatabase.BUMP_COUNTER);
  }

  @Override
  public void sequentialLookups(int[] ids) throws Exception {
    for (int id : ids) {
      lookupOne(id);
    }
  }

  @Override
  public int concurrentLookups(int[] ids) throws Exception {
    int failures = 0;
    for (int id : ids) {
      try {
        lookupOne(id);
      } catch (Exception e) {
        failures++;
      }
    }
    return failures;
  }

  @Override
  public int transactions(int[] ids, long[] latencies) throws Exception {
    long start = System.nanoTime();
    int failures = 0;
    connection.setAutoCommit(false);
    try {
      for (int i = 0; i < ids.length; i++) {
        try {
          bump.setInt(1, ids[i]);
          bump.executeUpdate();
          read.setInt(1, ids[i]);
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
            rs.getLong(1);
          }
          connection.commit();
        } catch (Exception e) {
          failures++;
          connection.rollback();
        }
        latencies[i] = System.nanoTime() - start;
      }
    } finally {
      connection.setAutoCommit(true);
    }
    return failures;
  }

  @Override
  public boolean supportsStream() {
    return true;
  }

  @Override
  public long stream(LongConsumer sink) throws Exception {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false); // pgjdbc streams only outside auto-commit
    long rows = 0;
    try (PreparedStatement statement = connection.prepareStatement(BenchDatabase.STREAM)) {
      statement.setFetchSize(1000);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          rs.getString(2);
          sink.accept(id);
          rows++;
        }
      }
      connection.commit();
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return rows;
  }

  private void lookupOne(int id) throws Exception {
    lookup.setInt(1, id);
    try (ResultSet rs = lookup.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("no user " + id + " in " + db);
      }
      Rows.consume(rs.getLong(1), rs.getString(2), rs.getString(3));
    }
  }

  @Override
  public void close() throws Exception {
    if (connection != null) {
      connection.close();
    }
  }
}
