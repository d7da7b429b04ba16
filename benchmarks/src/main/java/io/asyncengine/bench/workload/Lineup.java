package io.asyncengine.bench.workload;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.contender.Contender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The contenders of one workload, open side by side so that they can be measured in turns. This
 * machine has phases of seconds in which every database round trip costs several times more; a
 * contender measured entirely inside one would get a ratio that says nothing about it. Taking turns
 * (in a rotated order, so nobody always goes first) spreads every contender over the same phases.
 */
final class Lineup implements AutoCloseable {

  private final List<Contender> contenders = new ArrayList<>();

  private Lineup() {}

  /**
   * Opens, with {@code poolSize} connections each, every contender that supports {@code db} and
   * that {@code takesPart}; the others are closed unopened.
   */
  static Lineup open(BenchDatabase db, List<Supplier<Contender>> factories, Predicate<Contender> takesPart, int poolSize)
      throws Exception {
    Lineup lineup = new Lineup();
    try {
      for (Supplier<Contender> factory : factories) {
        Contender contender = factory.get();
        if (!contender.supports(db) || !takesPart.test(contender)) {
          contender.close();
          continue;
        }
        lineup.contenders.add(contender); // from here on closed with the rest, also if open fails
        contender.open(db, poolSize);
      }
    } catch (Exception | Error e) {
      closeAll(lineup.contenders, e);
      throw e;
    }
    return lineup;
  }

  /** The taking part ones, in the order of the factories. */
  List<Contender> all() {
    return List.copyOf(contenders);
  }

  /** Round {@code round}'s order: every contender, starting at {@code round % size}. */
  List<Contender> round(int round) {
    return rotated(contenders, round);
  }

  /** {@code items} starting at index {@code round % size}, wrapping around. */
  static <T> List<T> rotated(List<T> items, int round) {
    List<T> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(items.get((round + i) % items.size()));
    }
    return out;
  }

  /** Closes every contender, even when some fail to; rethrows the first failure. */
  @Override
  public void close() throws Exception {
    closeAll(contenders, null);
  }

  /** Closes all of {@code contenders}; failures go to {@code primary} or, without one, are thrown. */
  private static void closeAll(List<Contender> contenders, Throwable primary) throws Exception {
    Exception first = null;
    for (Contender contender : contenders) {
      try {
        contender.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
