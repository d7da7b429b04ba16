package io.asyncengine.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncengine.bench.BenchDatabase;
import io.asyncengine.bench.contender.Contender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LineupTest {

  @Test
  void eachRoundStartsOneFurther() {
    List<String> names = List.of("a", "b", "c");
    assertEquals(List.of("a", "b", "c"), Lineup.rotated(names, 0));
    assertEquals(List.of("b", "c", "a"), Lineup.rotated(names, 1));
    assertEquals(List.of("c", "a", "b"), Lineup.rotated(names, 2));
    assertEquals(List.of("a", "b", "c"), Lineup.rotated(names, 3));
  }

  @Test
  void oneFailingCloseDoesNotStopTheOthers() throws Exception {
    List<String> closed = new ArrayList<>();
    List<Supplier<Contender>> factories = List.of(
        () -> new Fake("a", closed, true), () -> new Fake("b", closed, false), () -> new Fake("c", closed, true));
    Lineup lineup = Lineup.open(BenchDatabase.SQLITE, factories, c -> true, 1);
    Exception failure = assertThrows(Exception.class, lineup::close);
    assertEquals(List.of("a", "b", "c"), closed);
    assertEquals("a", failure.getMessage());
    assertEquals(1, failure.getSuppressed().length);
  }

  @Test
  void leavesOutAndClosesThoseNotTakingPart() throws Exception {
    List<String> closed = new ArrayList<>();
    List<Supplier<Contender>> factories = List.of(() -> new Fake("a", closed, false), () -> new Fake("b", closed, false));
    try (Lineup lineup = Lineup.open(BenchDatabase.SQLITE, factories, c -> !c.name().equals("a"), 1)) {
      assertEquals(List.of("b"), lineup.all().stream().map(Contender::name).toList());
      assertEquals(List.of("a"), closed);
    }
    assertTrue(closed.contains("b"));
  }

  /** Records its close; fails it on demand. */
  private record Fake(String name, List<String> closed, boolean failClose) implements Contender {

    @Override
    public void open(BenchDatabase db, int poolSize) {}

    @Override
    public void sequentialLookups(int[] ids) {}

    @Override
    public int concurrentLookups(int[] ids) {
      return 0;
    }

    @Override
    public int transactions(int[] ids, long[] latencies) {
      return 0;
    }

    @Override
    public void close() throws Exception {
      closed.add(name);
      if (failClose) {
        throw new Exception(name);
      }
    }
  }
}
