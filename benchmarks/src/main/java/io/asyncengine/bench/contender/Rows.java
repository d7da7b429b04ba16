package io.asyncengine.bench.contender;

/** Keeps what contenders read from a row alive, so no JIT can skip the reads. */
final class Rows {

  private static volatile long sink;

  private Rows() {}

  /** Consumes a looked-up row's values. */
  static void consume(long id, String name, String email) {
    sink += id + name.length() + (email == null ? 0 : email.length());
  }
}
