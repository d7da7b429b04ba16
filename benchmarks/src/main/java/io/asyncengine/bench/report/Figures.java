package io.asyncengine.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures a measurement reports beside its headline value, in the order they were added.
 * Immutable: {@link #with} returns a copy. A figure that was not added reads as absent, never as
 * zero, so a target that needs it can say it was not measured.
 */
public final class Figures {

  private static final Figures NONE = new Figures(Map.of());

  private final Map<Figure<?>, Object> values;

  private Figures(Map<Figure<?>, Object> values) {
    this.values = values;
  }

  /** No figures. */
  public static Figures none() {
    return NONE;
  }

  /**
   * A copy with {@code figure} set to {@code value} (replacing an earlier value, in its place).
   *
   * @throws NullPointerException when {@code value} is null
   */
  public <T> Figures with(Figure<T> figure, T value) {
    Objects.requireNonNull(value, figure.name());
    Map<Figure<?>, Object> copy = new LinkedHashMap<>(values);
    copy.put(figure, value);
    return new Figures(Collections.unmodifiableMap(copy));
  }

  /** The value of {@code figure}, or empty when it was not measured. */
  public <T> Optional<T> get(Figure<T> figure) {
    return Optional.ofNullable(values.get(figure)).map(figure.type()::cast);
  }

  /** Every figure by its name, in the order added: what the reports print. */
  public Map<String, Object> byName() {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((figure, value) -> out.put(figure.name(), value));
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Figures figures && values.equals(figures.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return byName().toString();
  }
}
