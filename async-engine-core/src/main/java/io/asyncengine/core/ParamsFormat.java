package io.asyncengine.core;

import io.asyncengine.types.ValueText;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Params#describe()} prints values for echo logs and error messages: by {@link
 * ValueText}'s rule, so parameters look the same in the log, in error messages and in conversion
 * failures. Thread: stateless.
 */
final class ParamsFormat {

  private ParamsFormat() {}

  static String describe(@Nullable Object[] values) {
    return ValueText.ofPositional(values);
  }

  static String describe(Map<String, ?> values) {
    return ValueText.ofNamed(values);
  }
}
