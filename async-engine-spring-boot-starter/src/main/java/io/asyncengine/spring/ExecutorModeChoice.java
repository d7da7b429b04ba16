package io.asyncengine.spring;

import io.asyncengine.concurrent.ExecutorMode;
import io.asyncengine.dialect.Dialect;

/**
 * The executor mode an auto-configured engine runs in, and why. Virtual threads for socket
 * drivers; platform threads for SQLite, whose native calls pin a virtual thread's carrier for a
 * whole statement; an explicit {@code async-engine.executor.mode} (other than {@code auto}) wins.
 *
 * @param mode VIRTUAL or PLATFORM, never AUTO
 * @param reason the reason, for the startup log
 */
record ExecutorModeChoice(ExecutorMode mode, String reason) {

  static ExecutorModeChoice of(ExecutorMode configured, Dialect dialect) {
    if (configured != ExecutorMode.AUTO) {
      return new ExecutorModeChoice(configured, "set by async-engine.executor.mode");
    }
    if (dialect.name().equals("sqlite")) {
      return new ExecutorModeChoice(ExecutorMode.PLATFORM,
          "SQLite's native calls would pin virtual threads' carriers; set async-engine.executor.mode to change it");
    }
    return new ExecutorModeChoice(ExecutorMode.VIRTUAL,
        dialect.name() + " uses a socket driver; set async-engine.executor.mode to change it");
  }
}
