package io.asyncengine.bench.http.users;

import io.asyncengine.bench.http.problems.ProblemException;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/users/{id}}: the user with its {@code ETag} (its version), {@code 404} for an
 * unknown id. One autocommitted SELECT, as a Spring user writes a read. Runs on the request's
 * virtual thread.
 */
@RestController
@Profile("!data-jdbc")
public class UserController {

  private final JdbcClient jdbc;

  UserController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One user with its {@code ETag}; {@code 404} for an unknown id. */
  @GetMapping("/api/users/{id}")
  ResponseEntity<User> get(@PathVariable long id) {
    User user = jdbc.sql("select id, name, email, version from sample_users where id = ?")
        .param(id)
        .query(User.class)
        .optional()
        .orElseThrow(() -> ProblemException.notFound("user"));
    return ResponseEntity.ok().eTag("\"" + user.version() + "\"").body(user);
  }
}
