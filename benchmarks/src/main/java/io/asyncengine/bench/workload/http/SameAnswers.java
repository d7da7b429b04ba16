package io.asyncengine.bench.workload.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Before W7 measures anything: every application must answer the two requests it is measured on
 * as the sample app does (status, body, {@code ETag}, {@code Location}), or the comparison would
 * compare different work. Runs on the calling thread.
 */
final class SameAnswers {

  private SameAnswers() {}

  /**
   * Sends {@code GET /api/users/1} and one transfer of 1 from account 1 to account 2 to each of
   * {@code apps} (the first is the reference) and compares the answers.
   *
   * @throws IllegalStateException naming the application and what differed
   */
  static void check(List<HttpApp> apps) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Answer reference = null;
    for (HttpApp app : apps) {
      HttpResponse<String> user = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/users/1"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      String transferId = "check-" + Integer.toString(app.name().hashCode() & 0x7fffffff, 36);
      HttpResponse<String> transfer = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/transfers"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"transferId\":\"" + transferId + "\",\"fromAccount\":1,\"toAccount\":2,\"amount\":1}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      Answer answer = new Answer(user.statusCode(), user.headers().firstValue("ETag").orElse(""), user.body(),
          transfer.statusCode(), transfer.body().replace(transferId, "ID"),
          transfer.headers().firstValue("Location").orElse("").replaceFirst("^http://[^/]+", "").replace(transferId, "ID"));
      if (answer.userStatus() != 200 || answer.transferStatus() != 201) {
        throw new IllegalStateException(app.name() + " answered " + answer + "; log " + app.log() + ":\n" + app.tail());
      }
      if (reference == null) {
        reference = answer;
      } else if (!reference.equals(answer)) {
        throw new IllegalStateException(app.name() + " answers " + answer + " where " + apps.get(0).name()
            + " answers " + reference + ": the applications do not do the same work");
      }
    }
  }

  /** What one application answered, with the transfer id replaced by {@code ID}. */
  private record Answer(int userStatus, String etag, String userBody, int transferStatus, String transferBody,
      String location) {}
}
