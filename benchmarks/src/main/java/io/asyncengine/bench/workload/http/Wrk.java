package io.asyncengine.bench.workload.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP load generator W7 drives the applications with: {@code wrk} (one thread, a fixed number
 * of keep-alive connections, closed loop), run with W7's Lua script. Found on the {@code PATH}, or
 * installed from Debian's archive with {@code apt-get install -y wrk} when it is missing and the
 * benchmark runs as root. Runs on the calling thread, which waits for each wrk process.
 */
final class Wrk {

  private static final long INSTALL_TIMEOUT_SECONDS = 240;

  private final Path executable;
  private final Path script;

  private Wrk(Path executable, Path script) {
    this.executable = executable;
    this.script = script;
  }

  /**
   * Finds wrk, installing it when it is missing and that is possible, and writes W7's Lua script
   * to a temporary file.
   *
   * @return wrk, or empty when it is not installed and could not be; {@code why} then holds the reason
   */
  static Optional<Wrk> findOrInstall(StringBuilder why) throws IOException, InterruptedException {
    Optional<Path> found = onPath("wrk");
    if (found.isEmpty()) {
      String installed = install();
      found = onPath("wrk");
      if (found.isEmpty()) {
        why.append("wrk missing (").append(installed).append(')');
        return Optional.empty();
      }
    }
    Path script = Files.createTempFile("async-engine-w7-", ".lua");
    script.toFile().deleteOnExit();
    try (InputStream in = Wrk.class.getResourceAsStream("/w7/w7.lua")) {
      if (in == null) {
        throw new IllegalStateException("the benchmark jar has no /w7/w7.lua");
      }
      Files.write(script, in.readAllBytes());
    }
    return Optional.of(new Wrk(found.get(), script));
  }

  /**
   * Runs wrk for {@code seconds} against {@code baseUrl} with {@code connections} connections.
   *
   * @param endpoint {@code users} or {@code transfers}
   * @param ids how many users (or accounts) the ids are drawn from, 1 to ids
   * @param prefix makes this run's transfer ids unique
   * @throws IOException when wrk fails or prints no result
   */
  WrkResult run(String baseUrl, int connections, int seconds, String endpoint, int ids, String prefix, long seed)
      throws IOException, InterruptedException {
    List<String> command = List.of(executable.toString(), "-t1", "-c" + connections, "-d" + seconds + "s",
        "--timeout", "30s", "--latency", "-s", script.toString(), baseUrl,
        "--", endpoint, Integer.toString(ids), prefix, Long.toString(seed));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("wrk did not end " + (seconds + 60) + " s after starting: " + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      throw new IOException("wrk exited with " + process.exitValue() + ": " + String.join(" ", command) + "\n" + output);
    }
    try {
      return WrkResult.parse(output);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Tries {@code apt-get install -y wrk}, then again after {@code apt-get update}; says what happened. */
  private static String install() throws InterruptedException {
    if (onPath("apt-get").isEmpty()) {
      return "no apt-get to install it with; install wrk and run again";
    }
    System.err.println("[bench] W7: wrk is missing, running apt-get install -y wrk");
    String first = apt("install", "-y", "wrk");
    if (first.isEmpty()) {
      return "installed";
    }
    String update = apt("update");
    String second = apt("install", "-y", "wrk");
    return second.isEmpty() ? "installed after apt-get update"
        : "apt-get install -y wrk failed: " + second + (update.isEmpty() ? "" : "; apt-get update failed: " + update);
  }

  /** The executable {@code name} in a directory of the {@code PATH}. */
  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs apt-get with {@code args}; empty when it succeeded, else the last line it printed. */
  private static String apt(String... args) throws InterruptedException {
    List<String> command = new ArrayList<>(List.of("apt-get", "-q"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process process = builder.start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "apt-get " + String.join(" ", args) + " took longer than " + INSTALL_TIMEOUT_SECONDS + " s";
      }
      if (process.exitValue() == 0) {
        return "";
      }
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      return "exit " + process.exitValue() + (lines.isEmpty() ? "" : ", " + lines.get(lines.size() - 1));
    } catch (IOException e) {
      return "apt-get could not run: " + e.getMessage();
    }
  }
}
