package io.asyncengine.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sample REST application: users through {@code AsyncSession}, a streamed NDJSON listing, a
 * fan-out with a deadline and money transfers, on the starter's {@code AsyncEngine} and
 * {@code AsyncSessionFactory} beans. With no configuration it runs on an SQLite file under
 * {@code ./data/}; the {@code postgres} and {@code mariadb} profiles use the local servers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

  /** Starts the application; blocks only while Spring starts. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
