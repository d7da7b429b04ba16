package io.asyncengine.bench.http;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's HTTP rival: the sample app's {@code GET /api/users/{id}} and
 * {@code POST /api/transfers}, written the way a Spring user writes them today: Spring's
 * {@code JdbcClient} on Boot's HikariCP {@code DataSource}, request handlers on virtual threads
 * ({@code spring.threads.virtual.enabled}), {@code @Transactional} for the transfer. Same SQL, same
 * status codes and bodies as the sample app on the success path. The comparison starts it with
 * {@code java -jar} and points {@code spring.datasource.*} at its database.
 */
@SpringBootApplication
public class JdbcClientApplication {

  /** Starts the application; blocks only while Spring starts. */
  public static void main(String[] args) {
    SpringApplication.run(JdbcClientApplication.class, args);
  }
}
