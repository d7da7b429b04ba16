package io.asyncengine.bench.workload.http;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one wrk run measured, read from the {@code W7RESULT} line that W7's Lua script prints.
 *
 * @param requests responses received, every status
 * @param seconds the run's duration
 * @param socketErrors connect, read and write errors and timeouts: requests that got no answer
 * @param p50Ms median latency in milliseconds (wrk measures from sending to the whole response)
 * @param p99Ms 99th-percentile latency in milliseconds
 * @param statuses responses by HTTP status
 */
public record WrkResult(long requests, double seconds, long socketErrors, double p50Ms, double p99Ms,
    Map<Integer, Long> statuses) {

  private static final String MARKER = "W7RESULT ";

  /** Copies {@code statuses}, sorted by status. */
  public WrkResult {
    statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
  }

  /**
   * Reads the result from wrk's output.
   *
   * @throws IllegalArgumentException when the output has no {@code W7RESULT} line or it lacks a field
   */
  public static WrkResult parse(String output) {
    String line = output.lines().filter(l -> l.startsWith(MARKER)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("wrk printed no W7RESULT line:\n" + output));
    Map<String, String> fields = new TreeMap<>();
    for (String part : line.substring(MARKER.length()).trim().split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    Map<Integer, Long> statuses = new TreeMap<>();
    String listed = field(fields, "statuses", line);
    if (!listed.isEmpty()) {
      for (String entry : listed.split(",")) {
        String[] pair = entry.split(":");
        statuses.merge(Integer.parseInt(pair[0]), Long.parseLong(pair[1]), Long::sum);
      }
    }
    long socketErrors = 0;
    for (String kind : new String[] {"connect", "read", "write", "timeout"}) {
      socketErrors += Long.parseLong(field(fields, kind, line));
    }
    return new WrkResult(Long.parseLong(field(fields, "requests", line)),
        Long.parseLong(field(fields, "duration_us", line)) / 1e6, socketErrors,
        Long.parseLong(field(fields, "p50_us", line)) / 1e3, Long.parseLong(field(fields, "p99_us", line)) / 1e3,
        statuses);
  }

  private static String field(Map<String, String> fields, String name, String line) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("W7RESULT has no " + name + ": " + line);
    }
    return value;
  }

  /** Responses per second. */
  public double requestsPerSecond() {
    return seconds > 0 ? requests / seconds : 0;
  }

  /**
   * Answers that refused the request as the API says it may (409 a transfer id reused, 422
   * insufficient funds): the application worked, so they are counted apart from errors.
   */
  public long refused() {
    return statuses.getOrDefault(409, 0L) + statuses.getOrDefault(422, 0L);
  }

  /** Failures: requests without an answer, and every answer that is neither 2xx nor a refusal. */
  public long errors() {
    long answeredWrong = 0;
    for (Map.Entry<Integer, Long> entry : statuses.entrySet()) {
      int status = entry.getKey();
      if ((status < 200 || status > 299) && status != 409 && status != 422) {
        answeredWrong += entry.getValue();
      }
    }
    return socketErrors + answeredWrong;
  }

  /** The statuses as {@code 200:1234 404:2}, for the report. */
  public String statusesText() {
    StringBuilder out = new StringBuilder();
    statuses.forEach((status, n) -> out.append(out.isEmpty() ? "" : " ").append(status).append(':').append(n));
    return out.toString();
  }
}
