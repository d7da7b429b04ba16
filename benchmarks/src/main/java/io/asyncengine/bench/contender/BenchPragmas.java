package io.asyncengine.bench.contender;

import io.asyncengine.bench.BenchDatabase;
import java.util.Properties;

/** The driver properties every JDBC contender opens SQLite with: the engine's own defaults. */
final class BenchPragmas {

  private BenchPragmas() {}

  static Properties forDriver(BenchDatabase db) {
    Properties properties = new Properties();
    if (db == BenchDatabase.SQLITE) {
      properties.setProperty("foreign_keys", "true");
      properties.setProperty("journal_mode", "WAL");
      properties.setProperty("busy_timeout", "10000");
    }
    return properties;
  }
}
