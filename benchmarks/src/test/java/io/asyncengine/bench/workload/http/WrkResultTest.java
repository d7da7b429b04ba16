package io.asyncengine.bench.workload.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncengine.bench.BenchDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WrkResultTest {

  private static final String OUTPUT = """
      Running 10s test @ http://127.0.0.1:8080
        1 threads and 32 connections
      Requests/sec:   2000.00
      W7RESULT requests=20000 duration_us=10000000 connect=1 read=2 write=0 timeout=3 p50_us=12500 p99_us=48000 statuses=201:19890,422:100,500:4,409:6
      """;

  @Test
  void readsTheScriptsLine() {
    WrkResult result = WrkResult.parse(OUTPUT);

    assertThat(result.requests()).isEqualTo(20_000);
    assertThat(result.requestsPerSecond()).isEqualTo(2_000.0);
    assertThat(result.p50Ms()).isEqualTo(12.5);
    assertThat(result.p99Ms()).isEqualTo(48.0);
    assertThat(result.socketErrors()).isEqualTo(6);
    assertThat(result.statuses()).isEqualTo(Map.of(201, 19_890L, 409, 6L, 422, 100L, 500, 4L));
    assertThat(result.statusesText()).isEqualTo("201:19890 409:6 422:100 500:4");
  }

  @Test
  void refusalsTheApiDocumentsAreNotErrorsButEverythingElseIs() {
    WrkResult result = WrkResult.parse(OUTPUT);

    assertThat(result.refused()).isEqualTo(106);
    assertThat(result.errors()).isEqualTo(6 + 4);
  }

  @Test
  void aRunWithoutAnswersHasNoStatuses() {
    WrkResult result = WrkResult.parse(
        "W7RESULT requests=0 duration_us=2000000 connect=32 read=0 write=0 timeout=0 p50_us=0 p99_us=0 statuses=\n");

    assertThat(result.statuses()).isEmpty();
    assertThat(result.errors()).isEqualTo(32);
  }

  @Test
  void outputWithoutTheLineOrAFieldIsRefusedNamingIt() {
    assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:8080 Connection refused"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no W7RESULT line");
    assertThatThrownBy(() -> WrkResult.parse("W7RESULT requests=1 duration_us=1 connect=0 read=0 write=0 timeout=0 p50_us=1 statuses="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no p99_us");
  }

  @Test
  void bothApplicationsGetTheSameDatasourceSettings() {
    assertThat(HttpWorkload.datasourceArgs(BenchDatabase.SQLITE, 16)).contains(
        "--spring.datasource.url=" + BenchDatabase.SQLITE.jdbcUrl(),
        "--spring.datasource.hikari.maximum-pool-size=16",
        "--spring.datasource.hikari.minimum-idle=16",
        "--spring.datasource.hikari.data-source-properties[journal_mode]=WAL",
        "--spring.datasource.hikari.data-source-properties[foreign_keys]=true");
  }
}
