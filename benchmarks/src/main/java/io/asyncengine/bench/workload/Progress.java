package io.asyncengine.bench.workload;

import java.io.PrintStream;

/** Progress lines on stderr, so stdout keeps only the result table. */
public final class Progress {

  private final PrintStream out;
  private final long start = System.nanoTime();

  /** Progress written to {@code out}. */
  public Progress(PrintStream out) {
    this.out = out;
  }

  /** One progress line, prefixed with the elapsed time. */
  public void step(String message) {
    out.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
    out.flush();
  }
}
