package io.asyncengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metadata the configuration processor generated lists every property, each with its description. */
class ConfigurationMetadataTests {

  private static final List<String> PROPERTIES = List.of("async-engine.enabled", "async-engine.url",
      "async-engine.username", "async-engine.password", "async-engine.statement-timeout", "async-engine.isolation-level",
      "async-engine.echo", "async-engine.statement-cache-size", "async-engine.pool.max-size", "async-engine.pool.min-idle",
      "async-engine.pool.connection-timeout", "async-engine.pool.max-lifetime", "async-engine.pool.idle-timeout",
      "async-engine.pool.validation-timeout", "async-engine.pool.name", "async-engine.sqlite.path",
      "async-engine.executor.mode", "async-engine.executor.max-concurrency", "async-engine.executor.platform-threads",
      "async-engine.session.expire-on-commit", "async-engine.session.autoflush", "async-engine.shutdown.grace-period",
      "async-engine.exception-translation.enabled", "async-engine.health.timeout",
      "async-engine.observations.enabled", "async-engine.observations.include-parameters",
      "management.health.asyncengine.enabled");

  @Test
  void everyPropertyIsListedWithADescription() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // One object per property: "name" first, then (in the processor's output) "type", "description", ...
    Matcher entry = Pattern.compile("\\{[^{}]*?\"name\"\\s*:\\s*\"([^\"]+)\"[^{}]*?\\}", Pattern.DOTALL).matcher(json);
    List<String> described = new ArrayList<>();
    List<String> listed = new ArrayList<>();
    while (entry.find()) {
      listed.add(entry.group(1));
      if (entry.group().contains("\"description\"")) {
        described.add(entry.group(1));
      }
    }
    assertThat(listed).containsAll(PROPERTIES);
    assertThat(described).containsAll(PROPERTIES);
  }
}
