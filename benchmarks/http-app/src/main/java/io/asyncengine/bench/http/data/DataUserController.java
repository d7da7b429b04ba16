package io.asyncengine.bench.http.data;

import io.asyncengine.bench.http.problems.ProblemException;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/users/{id}} through {@link UserRepository}; runs on the request's virtual thread. */
@RestController
@Profile("data-jdbc")
public class DataUserController {

  private final UserRepository users;

  DataUserController(UserRepository users) {
    this.users = users;
  }

  /** One user with its {@code ETag}; {@code 404} for an unknown id. */
  @GetMapping("/api/users/{id}")
  ResponseEntity<UserRow> get(@PathVariable long id) {
    UserRow user = users.findById(id).orElseThrow(() -> ProblemException.notFound("user"));
    return ResponseEntity.ok().eTag("\"" + user.version() + "\"").body(user);
  }
}
