package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet in README.md is a tour block of {@link ApiTourTest} or {@code SessionTourTest},
 * which compile and run them, so the README cannot rot.
 */
class ReadmeTourTest {

  private static final Pattern README_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TOUR_BLOCK = Pattern.compile("// tour:start \\w+\\n(.*?)\\n\\s*// tour:end", Pattern.DOTALL);

  @Test
  void everyReadmeJavaSnippetIsCompiledAndRunByApiTourTest() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String tour = Files.readString(Path.of("src", "test", "java", "io", "asyncengine", "ApiTourTest.java"))
        + Files.readString(Path.of("src", "test", "java", "io", "asyncengine", "session", "SessionTourTest.java"));
    List<String> tourBlocks = new ArrayList<>();
    Matcher tourMatcher = TOUR_BLOCK.matcher(tour);
    while (tourMatcher.find()) {
      tourBlocks.add(normalize(tourMatcher.group(1)));
    }
    List<String> readmeBlocks = new ArrayList<>();
    Matcher readmeMatcher = README_BLOCK.matcher(readme);
    while (readmeMatcher.find()) {
      readmeBlocks.add(normalize(readmeMatcher.group(1)));
    }
    assertThat(readmeBlocks).as("Java snippets in README.md").hasSizeGreaterThanOrEqualTo(8);
    assertThat(tourBlocks).containsAll(readmeBlocks);
  }

  /** Strips the common indentation and trailing blank lines. */
  private static String normalize(String block) {
    List<String> lines = block.stripTrailing().lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.toString();
  }
}
