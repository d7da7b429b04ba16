package io.asyncengine.bench.workload.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One application under W7's load: a Spring Boot jar started with {@code java -jar} in a JVM of its
 * own, on a free port, with its output in a log file. {@link #close()} stops it (SIGTERM, then
 * SIGKILL after 30 s). Methods run on the calling thread.
 */
final class HttpApp implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private HttpApp(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code jar} with {@code jvmFlags} and {@code args} (plus {@code --server.port}) in a
   * fresh temporary directory; does not wait for it to answer ({@link #awaitHealthy}).
   */
  static HttpApp start(String name, Path jar, List<String> jvmFlags, List<String> args) throws IOException {
    int port = freePort();
    Path dir = Files.createTempDirectory("async-engine-w7-" + name.replaceAll("[^A-Za-z0-9]", "-") + "-");
    Path log = dir.resolve("app.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new HttpApp(name, process, log, port);
  }

  /** The contender's name in the report. */
  String name() {
    return name;
  }

  /** {@code http://127.0.0.1:<port>}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * CPU time the application's process has used so far (every thread, user and system), in
   * nanoseconds; -1 when the platform does not tell.
   */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  /** The application's output. */
  Path log() {
    return log;
  }

  /**
   * Waits until {@code /actuator/health} answers 200.
   *
   * @throws IOException when the process exits or does not answer within {@code timeout}; the
   *     message ends with the log's last lines
   */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " did not answer /actuator/health within " + timeout.toSeconds() + " s; log " + log
        + ":\n" + tail());
  }

  /** The log's last 40 lines. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Deletes the application's directory with the log, as far as it can; call after {@link #close()}. */
  void deleteLog() {
    try (java.util.stream.Stream<Path> files = Files.walk(log.getParent())) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // a temporary directory left behind is no reason to lose the figures
    }
  }

  /** Stops the application and waits for its process to end; idempotent. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
