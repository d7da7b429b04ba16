package io.asyncengine.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {

  @Test
  void aFigureNotAddedIsAbsentNotZero() {
    Figures figures = Figures.none().with(Figure.RUNS, 5);

    assertThat(figures.get(Figure.ERRORS)).isEmpty();
    assertThat(figures.get(Figure.RUNS)).contains(5);
  }

  @Test
  void withReturnsACopyAndKeepsTheOrderOfAddition() {
    Figures first = Figures.none().with(Figure.P99_MS, 2.5).with(Figure.ERRORS, 0);
    Figures second = first.with(Figure.P99_MS, 3.0).with(Figure.RUNS, 7);

    assertThat(first.byName()).containsExactly(entry("p99Ms", 2.5), entry("errors", 0));
    assertThat(List.copyOf(second.byName().keySet())).containsExactly("p99Ms", "errors", "runs");
    assertThat(second.get(Figure.P99_MS)).contains(3.0);
  }

  @Test
  void aNullValueIsRefusedWithTheFiguresName() {
    assertThatThrownBy(() -> Figures.none().with(Figure.FAILURE, null))
        .isInstanceOf(NullPointerException.class).hasMessage("failure");
  }

  private static java.util.Map.Entry<String, Object> entry(String name, Object value) {
    return java.util.Map.entry(name, value);
  }
}
