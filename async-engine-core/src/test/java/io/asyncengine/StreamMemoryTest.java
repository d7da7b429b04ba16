package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncengine.testing.DatabaseTest;
import io.asyncengine.testing.StreamRowsMain;
import io.asyncengine.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code stream()} keeps memory flat: 1,000,000 rows of ~110 bytes (about 110 MB of data) stream
 * through a JVM whose heap is capped at 48 MiB. Buffering the result would fail with
 * OutOfMemoryError; the child reports its row count and peak heap.
 */
class StreamMemoryTest {

  private static final String HEAP = "-Xmx48m";

  @DatabaseTest
  void aMillionRowsStreamThroughASmallHeap(TestDatabase db) throws Exception {
    String sql = switch (db) {
      case POSTGRESQL -> "select g, repeat('x', 100) as pad from generate_series(1, 1000000) g";
      case MARIADB -> "select seq, repeat('x', 100) as pad from seq_1_to_1000000";
      case SQLITE -> "with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000000) "
          + "select i, printf('%.100c', 'x') as pad from r";
    };
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(javaBin, HEAP, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), StreamRowsMain.class.getName(), db.url(), sql)
        .redirectErrorStream(true)
        .start();
    boolean finished = child.waitFor(5, TimeUnit.MINUTES);
    String output = readAll(child);
    assertThat(finished).as("child finished; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as("exit code; output:%n%s", output).isZero();
    List<String> lines = output.lines().filter(l -> l.startsWith("rows=")).toList();
    assertThat(lines).as(output).hasSize(1);
    assertThat(lines.get(0)).startsWith("rows=1000000 ");
    int peak = Integer.parseInt(lines.get(0).replaceAll(".*peakHeapMiB=", ""));
    assertThat(peak).as("peak heap MiB").isLessThanOrEqualTo(48);
  }

  private static String readAll(Process child) throws IOException {
    if (child.isAlive()) {
      child.destroyForcibly();
    }
    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
