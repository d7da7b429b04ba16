package io.asyncengine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started with {@code java -jar} in an empty directory with no configuration
 * and no database server: it must create {@code ./data/}, answer its health check and serve the
 * users API. Runs in {@code verify}, after {@code package} built the jar.
 */
class PackagedJarIT {

  @TempDir
  Path dir;

  @Test
  void theJarStartsWithNoConfigurationAndAnswers() throws Exception {
    Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
    assertThat(jar).isRegularFile();
    int port = freePort();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Path.of("target", "packaged-jar-it.log").toAbsolutePath();
    Process app = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
        jar.toString(), "--server.port=" + port))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://localhost:" + port;
      HttpResponse<String> health = awaitHealth(http, base, app, log);
      assertThat(health.body()).contains("\"status\":\"UP\"").contains("asyncEngine");

      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/users"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(read.body()).contains("\"name\":\"Ada\"");
      assertThat(dir.resolve("data").resolve("async-engine.db")).isRegularFile();
    } finally {
      app.destroy();
      if (!app.waitFor(60, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static HttpResponse<String> awaitHealth(HttpClient http, String base, Process app, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!app.isAlive()) {
        throw new AssertionError("the jar exited with " + app.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the jar did not answer within 180 s:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
