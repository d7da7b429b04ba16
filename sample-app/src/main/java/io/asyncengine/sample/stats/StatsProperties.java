package io.asyncengine.sample.stats;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code sample.stats.*}.
 *
 * @param deadline how long {@code /api/stats} may take in all before its queries are cancelled
 *     and it answers {@code 503}; 2 seconds by default
 */
@ConfigurationProperties("sample.stats")
public record StatsProperties(Duration deadline) {

  /** Fills in the default. */
  public StatsProperties {
    if (deadline == null) {
      deadline = Duration.ofSeconds(2);
    }
  }
}
