package io.asyncengine.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The JdbcClient rival's endpoints over real HTTP on a real SQLite file, with the sample app's schema: the
 * answers the benchmark counts (201, 200, 422, 404) and what each leaves in the tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JdbcClientApplicationTest {

  /** The database of the context being tested: each test class gets a fresh one. */
  private static volatile Path file;

  private final HttpClient http = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    Path created = createDatabase();
    file = created;
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + created);
    registry.add("spring.datasource.hikari.data-source-properties[foreign_keys]", () -> "true");
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
  }

  @Test
  void getAnswersTheUserWithItsVersionAsETag() throws Exception {
    HttpResponse<String> found = get("/api/users/1");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.headers().firstValue("ETag")).hasValue("\"3\"");
    assertThat(found.body()).isEqualTo("{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\",\"version\":3}");

    HttpResponse<String> missing = get("/api/users/999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(missing.body()).contains("\"type\":\"urn:asyncengine:sample:problem:not-found\"");
  }

  @Test
  void aTransferMovesTheMoneyOnceAndAnswersCreated() throws Exception {
    HttpResponse<String> created = post("{\"transferId\":\"t-1\",\"fromAccount\":2,\"toAccount\":1,\"amount\":30}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("http://localhost:" + port + "/api/transfers/t-1");
    assertThat(created.body()).isEqualTo("{\"transferId\":\"t-1\",\"fromAccount\":2,\"toAccount\":1,\"amount\":30}");
    assertThat(balance(1)).isEqualTo(130);
    assertThat(balance(2)).isEqualTo(170);
  }

  @Test
  void insufficientFundsOrOneAccountTwiceAreRefusedAndChangeNothing() throws Exception {
    HttpResponse<String> poor = post("{\"transferId\":\"t-2\",\"fromAccount\":3,\"toAccount\":1,\"amount\":11}");
    assertThat(poor.statusCode()).isEqualTo(422);
    assertThat(poor.body()).contains("urn:asyncengine:sample:problem:insufficient-funds");
    assertThat(balance(3)).isEqualTo(10);
    assertThat(count("select count(*) from sample_transfers where id = 't-2'")).isZero();

    HttpResponse<String> same = post("{\"transferId\":\"t-3\",\"fromAccount\":1,\"toAccount\":1,\"amount\":1}");
    assertThat(same.statusCode()).isEqualTo(422);
    assertThat(same.body()).contains("urn:asyncengine:sample:problem:same-account");

    HttpResponse<String> invalid = post("{\"transferId\":\"t 4\",\"fromAccount\":1,\"toAccount\":2,\"amount\":0}");
    assertThat(invalid.statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/transfers"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long balance(long account) throws SQLException {
    return count("select balance from sample_accounts where id = " + account);
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The sample app's SQLite schema (its schema-sqlite.sql) with a user and three accounts. */
  private static Path createDatabase() {
    try {
      Path file = Files.createTempFile("jdbc-client-rival-", ".db");
      file.toFile().deleteOnExit();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
        s.execute("create table sample_users (id integer primary key autoincrement, name varchar(200) not null,"
            + " email varchar(254) not null unique, version bigint not null)");
        s.execute("create table sample_accounts (id integer primary key autoincrement, owner varchar(200) not null,"
            + " balance bigint not null check (balance >= 0))");
        s.execute("create table sample_transfers (id varchar(64) primary key,"
            + " from_account bigint not null references sample_accounts(id),"
            + " to_account bigint not null references sample_accounts(id), amount bigint not null check (amount > 0))");
        s.execute("insert into sample_users(id, name, email, version) values (1, 'Ada', 'ada@example.com', 3)");
        s.execute("insert into sample_accounts(id, owner, balance) values (1, 'a', 100), (2, 'b', 200), (3, 'c', 10)");
      }
      return file;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
