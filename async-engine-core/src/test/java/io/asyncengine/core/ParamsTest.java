package io.asyncengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.error.ParameterBindingException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Varargs are positional values, always: a Map or Params among them is refused, naming the fix. */
class ParamsTest {

  @TempDir
  Path dir;

  @Test
  void everyVarargsElementIsAPositionalValue() {
    assertThat(Params.fromVarargs(new Object[] {1, "x"})).isEqualTo(Params.of(1, "x"));
    assertThat(Params.fromVarargs(new Object[0])).isSameAs(Params.none());
    assertThat(Params.fromVarargs(null)).isEqualTo(Params.of((Object) null));
  }

  @Test
  void theConnectionsEntryPointsRefuseAMapAndTakeParams() {
    try (Engine engine = Engine.create("jdbc:sqlite:" + dir.resolve("params.db"));
        SqlConnection connection = engine.connect()) {
      Object map = Map.of("id", 1);
      assertThatThrownBy(() -> connection.execute("select :id", map))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("Params.named(map)");
      assertThatThrownBy(() -> connection.scalar(Integer.class, "select :id", map))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("Params.named(map)");
      assertThatThrownBy(() -> connection.execute("select ?, ?", 1, map))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("Positional value 2 is a Map");
      Object params = Params.named(Map.of("id", 1));
      assertThatThrownBy(() -> connection.execute("select :id", params))
          .isInstanceOf(ParameterBindingException.class).hasMessageContaining("is a Params")
          .hasMessageContaining("the overload that takes Params");
      Params named = Params.named(Map.of("id", 7));
      assertThat(connection.execute("select :id", named).scalar(Integer.class)).isEqualTo(7);
      assertThat(connection.scalar(Integer.class, "select :id", named)).isEqualTo(7);
      assertThat(connection.scalars(Integer.class, "select :id", named)).containsExactly(7);
      assertThat(connection.stream("select :id", named).map(row -> row.get(0, Integer.class)).toList()).containsExactly(7);
      assertThat(connection.streamScalars(Integer.class, "select :id", named).toList()).containsExactly(7);
    }
  }
}
