package io.asyncengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form layers that point one way. A package and its {@code internal}
 * subpackage form one unit; a unit may use only units below it. Every reference counts: imports,
 * fully qualified names in code and in Javadoc.
 */
class LayeringTest {

  /** Bottom first. Units on one line are peers and must not use each other. */
  private static final List<List<String>> LAYERS = List.of(
      List.of("internal", "error"),
      List.of("options", "types"),
      List.of("dialect", "mapping"),
      List.of("result"),
      List.of("core"),
      List.of("session", "concurrent"),
      List.of("asyncio"));

  private static final Path SOURCES = Path.of("src/main/java/io/asyncengine");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.asyncengine\\.([a-z][a-z.]*)\\.[A-Z]");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package io\\.asyncengine\\.([a-z.]+);");

  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void readSources() throws IOException {
    uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher declared = PACKAGE.matcher(source);
        assertThat(declared.find()).as("package of %s", file).isTrue();
        String from = unit(declared.group(1));
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
          String to = unit(reference.group(1));
          if (!to.equals(from)) {
            uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to + " (" + SOURCES.relativize(file) + ")");
          }
        }
      }
    }
  }

  @Test
  void everyPackageBelongsToALayer() throws IOException {
    List<String> unplaced = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(SOURCES)) {
      for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(SOURCES)).toList()) {
        String unit = unit(SOURCES.relativize(dir).toString().replace('/', '.'));
        if (rank(unit) < 0) {
          unplaced.add(unit);
        }
      }
    }
    assertThat(unplaced).as("packages missing from LayeringTest.LAYERS").isEmpty();
  }

  @Test
  void noUnitUsesAUnitAtOrAboveItsOwnLayer() {
    Map<String, List<String>> violations = new LinkedHashMap<>();
    uses.forEach((from, targets) -> {
      for (String target : targets) {
        String to = target.substring(0, target.indexOf(' '));
        if (rank(to) >= rank(from)) {
          violations.computeIfAbsent(from, k -> new ArrayList<>()).add(target);
        }
      }
    });
    assertThat(violations).as("references that run sideways or back up the layers").isEmpty();
  }

  @Test
  void everyPackageIsNullMarked() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> dirs = Files.walk(SOURCES)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Path info = dir.resolve("package-info.java");
        boolean hasSources;
        try (Stream<Path> children = Files.list(dir)) {
          hasSources = children.anyMatch(f -> f.toString().endsWith(".java"));
        }
        if (hasSources && (!Files.exists(info) || !Files.readString(info).contains("@NullMarked"))) {
          missing.add(SOURCES.relativize(dir).toString());
        }
      }
    }
    assertThat(missing).as("packages without a @NullMarked package-info.java").isEmpty();
  }

  /** {@code core.internal} belongs to {@code core}; the bottom {@code internal} is its own unit. */
  private static String unit(String pkg) {
    return pkg.endsWith(".internal") ? pkg.substring(0, pkg.length() - ".internal".length()) : pkg;
  }

  private static int rank(String unit) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(unit)) {
        return i;
      }
    }
    return -1;
  }
}
