package io.asyncengine.spring.diagnostics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains an {@code async-engine.*} value that cannot be converted (an unknown executor mode or
 * isolation level, a malformed duration), listing the accepted values. Ordered before Boot's
 * general binding analyzer; other properties are left to it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class AsyncEnginePropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

  private static final String PREFIX = "async-engine.";

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    String name = cause.getName().toString();
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    ConfigurationProperty property = cause.getProperty();
    Object value = property != null ? property.getValue() : null;
    Class<?> type = cause.getTarget().getType().resolve(Object.class);
    String origin = property != null && property.getOrigin() != null ? " (from " + property.getOrigin() + ")" : "";
    return new FailureAnalysis(
        "The value '" + value + "' of " + name + origin + " is not valid: " + expected(type) + ".",
        "Set " + name + " to " + expected(type) + ", or remove it to use the default.",
        cause);
  }

  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .collect(Collectors.joining(", "));
    }
    if (type == Duration.class) {
      return "a duration such as 500ms, 30s, 5m or PT30S";
    }
    if (type == Integer.class || type == int.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a value of type " + type.getSimpleName();
  }
}
