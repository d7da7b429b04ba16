package io.asyncengine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo runs and does what it says: creates, adds, queries, streams, fans out. */
class SeedDemoTest {

  @Test
  void demoCreatesQueriesStreamsAndRunsTenConcurrentQueries(@TempDir Path dir) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SeedDemo.main(new String[] {dir.resolve("demo.db").toString()});
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("1. created table users", "2. added 3 users",
        "User[id=1, name=Alice, email=alice@example.com]", "one(): User[id=2, name=Bob",
        "4. streamed: User[id=3, name=Charlie", "5. ran 10 concurrent queries", "[3, 2, 1, 3, 2, 1, 3, 2, 1, 3]");
    assertThat(Files.exists(dir.resolve("demo.db"))).isTrue();
  }
}
