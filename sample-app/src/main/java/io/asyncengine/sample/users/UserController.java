package io.asyncengine.sample.users;

import io.asyncengine.asyncio.AsyncConnection;
import io.asyncengine.asyncio.AsyncEngine;
import io.asyncengine.asyncio.AsyncSession;
import io.asyncengine.asyncio.AsyncSessionFactory;
import io.asyncengine.result.Row;
import io.asyncengine.sample.Await;
import io.asyncengine.sample.problems.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/users}: CRUD through {@link AsyncSession} units of work, a paged and sorted list,
 * and {@code /api/users/stream}, every user as NDJSON from a server-side cursor.
 *
 * <p>Optimistic locking: a user's {@code ETag} is its version ({@code "3"}). {@code PUT} requires
 * {@code If-Match} ({@code 428} without it); a version that is no longer current gives {@code 412};
 * a change by another request between this request's read and its write gives {@code 409}.
 * {@code DELETE} checks {@code If-Match} when it is sent.
 *
 * <p>Handlers run on virtual threads and wait for the engine's futures ({@link Await}).
 */
@RestController
@RequestMapping("/api/users")
public class UserController {

  private static final String SELECT_PAGE = "select * from sample_users order by %s limit ? offset ?";
  private static final int STREAM_BATCH = 64;

  private static final Logger log = LoggerFactory.getLogger(UserController.class);

  private final AsyncSessionFactory sessions;
  private final AsyncEngine engine;
  private final ObjectMapper json;

  UserController(AsyncSessionFactory sessions, AsyncEngine engine, ObjectMapper json) {
    this.sessions = sessions;
    this.engine = engine;
    this.json = json;
  }

  /** Creates a user: {@code 201} with {@code Location} and {@code ETag}; {@code 409} for a taken email. */
  @PostMapping
  ResponseEntity<User> create(@Valid @RequestBody UserRequest body) {
    User created;
    try {
      created = Await.result(sessions.inTransaction(session -> {
        User pending = new User(null, Objects.requireNonNull(body.name()), Objects.requireNonNull(body.email()), 0);
        session.add(pending);
        return session.flush().thenApply(v -> session.current(pending));
      }));
    } catch (DuplicateKeyException e) {
      throw duplicateEmail();
    }
    URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(created.id()).toUri();
    return ResponseEntity.created(location).eTag(etag(created)).body(created);
  }

  /** One user with its {@code ETag}; {@code 404} for an unknown id. */
  @GetMapping("/{id}")
  ResponseEntity<User> get(@PathVariable long id) {
    try (AsyncSession session = sessions.openSession()) {
      User user = Await.result(session.get(User.class, id)).orElseThrow(() -> ProblemException.notFound("user"));
      return ResponseEntity.ok().eTag(etag(user)).body(user);
    }
  }

  /** A page of users, sorted by a whitelisted field ({@code id}, {@code name}, {@code email}). */
  @GetMapping
  UserPage list(
      @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
      @RequestParam(defaultValue = "id,asc") String sort) {
    UserSort order = UserSort.parse(sort);
    try (AsyncSession session = sessions.openSession()) {
      // One session runs one operation at a time: the page, then the count.
      List<User> items = Await.result(session.scalars(User.class,
          SELECT_PAGE.formatted(order.orderBy()), size, (long) page * size));
      Number total = Await.result(session.scalar(Number.class, "select count(*) from sample_users"));
      return new UserPage(items.stream().map(Objects::requireNonNull).toList(), page, size,
          total == null ? 0 : total.longValue(), order.toString());
    }
  }

  /**
   * Replaces a user's name and email. Requires {@code If-Match} with the current {@code ETag}.
   * {@code 404} unknown id, {@code 428} no {@code If-Match}, {@code 412} stale version, {@code 409}
   * taken email or a concurrent change.
   */
  @PutMapping("/{id}")
  ResponseEntity<User> update(@PathVariable long id, @Valid @RequestBody UserRequest body,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
    if (ifMatch == null) {
      throw new ProblemException(HttpStatus.PRECONDITION_REQUIRED, "if-match-required", "Precondition required",
          "Send If-Match with the user's ETag to change it.");
    }
    User updated;
    try {
      updated = Await.result(sessions.inTransaction(session -> session.get(User.class, id)
          .thenCompose(found -> {
            User current = found.orElseThrow(() -> ProblemException.notFound("user"));
            checkIfMatch(ifMatch, current);
            // The version read is the one the UPDATE is guarded with.
            return session.merge(new User(id, Objects.requireNonNull(body.name()),
                Objects.requireNonNull(body.email()), current.version()));
          })
          .thenCompose(merged -> session.flush().thenApply(v -> session.current(merged)))));
    } catch (DuplicateKeyException e) {
      throw duplicateEmail();
    }
    return ResponseEntity.ok().eTag(etag(updated)).body(updated);
  }

  /** Deletes a user: {@code 204}; {@code 404} unknown id; {@code 412} when {@code If-Match} is stale. */
  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable long id,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
    Await.result(sessions.inTransaction(session -> session.get(User.class, id).thenCompose(found -> {
      User current = found.orElseThrow(() -> ProblemException.notFound("user"));
      if (ifMatch != null) {
        checkIfMatch(ifMatch, current);
      }
      session.delete(current);
      return session.flush();
    })));
    return ResponseEntity.noContent().build();
  }

  /**
   * Every user, ordered by id, one JSON object per line ({@code application/x-ndjson}), streamed
   * from a server-side cursor: the response body is written as the rows arrive, {@value
   * #STREAM_BATCH} rows requested at a time ({@link RowQueue}), so memory stays flat however many
   * users there are and however slow the client. When the client goes away, the next write fails
   * and the subscription is cancelled, which closes the cursor and frees the connection.
   */
  @GetMapping("/stream")
  ResponseEntity<StreamingResponseBody> stream() {
    StreamingResponseBody body = out -> {
      AsyncConnection connection = Await.result(engine.connect());
      try {
        writeRows(connection, out);
      } finally {
        connection.close();
      }
    };
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(body);
  }

  private void writeRows(AsyncConnection connection, OutputStream out) throws IOException {
    RowQueue rows = new RowQueue(STREAM_BATCH);
    connection.stream("select id, name, email, version from sample_users order by id").subscribe(rows);
    boolean done = false;
    try {
      int written = 0;
      for (Row row = rows.take(); row != null; row = rows.take()) {
        out.write(json.writeValueAsBytes(row.as(User.class)));
        out.write('\n');
        if (++written % STREAM_BATCH == 0) {
          out.flush();
        }
      }
      out.flush();
      done = true;
      // On Spring MVC's async thread: the task decorator brought the request's context here.
      log.debug("Streamed {} users", written);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while streaming users");
    } finally {
      if (!done) {
        rows.cancel(); // the client went away or a write failed: stop the cursor
      }
    }
  }

  private static void checkIfMatch(String ifMatch, User current) {
    String value = ifMatch.trim();
    if (value.equals("*")) {
      return;
    }
    for (String tag : value.split(",")) {
      // If-Match compares strongly (RFC 9110): a weak tag (W/"1") never matches.
      if (tag.trim().equals(etag(current))) {
        return;
      }
    }
    throw new ProblemException(HttpStatus.PRECONDITION_FAILED, "stale-version", "Precondition failed",
        "If-Match does not name the user's current version; read it again and retry.");
  }

  private static String etag(User user) {
    return "\"" + user.version() + "\"";
  }

  private static ProblemException duplicateEmail() {
    return new ProblemException(HttpStatus.CONFLICT, "duplicate-email", "Conflict",
        "Another user already has this email.");
  }
}
