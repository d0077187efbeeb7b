package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.flexc.build.ProgramBuild;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: what {@code flexc build} writes for each case of {@code testdata/golden} and each
 * of its variants (backends, stack modes), compared file by file with the expected tree, plus a
 * second build into the same directory that must be byte-identical to the first.
 *
 * <p>A case is a folder with {@code case.properties}: {@code app} (the application, relative to
 * the repository root) and one key per variant whose value is the build's extra arguments
 * ({@code ${CASE}} stands for the case's folder). The expected output of variant V is {@code
 * expected/V/}: every text file the build writes, except compiled objects and programs, with the
 * application's and the output's absolute paths written as {@code $APP} and {@code $OUT}, and what
 * the build printed as {@code stdout.txt}.
 *
 * <p>To rewrite the expected files after a change that is meant to alter the output, run
 * {@code mvn -B verify -pl cli -am -Dtest=GoldenFilesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dflexc.golden.update=true} (or set {@code FLEXC_GOLDEN_UPDATE=1}) and review the diff in git.
 */
@Tag("slow")
class GoldenFilesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path CASES = ROOT.resolve("testdata/golden");
  private static final List<String> BINARY_FOLDERS = List.of("objects/", "bin/");
  private static final String STDOUT = "stdout.txt";
  /**
   * The summary's count of compilations taken from the cache: the one line that depends on the
   * builds before, left out of the comparisons (the files are the same whatever it says).
   */
  private static final Pattern CACHE_LINE = Pattern.compile("(?m)^compile cache: .*\n");

  @TempDir Path temporary;

  static Stream<Arguments> variants() throws IOException {
    List<Arguments> variants = new ArrayList<>();
    try (Stream<Path> cases = Files.list(CASES)) {
      for (Path folder : cases.filter(Files::isDirectory).sorted().toList()) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(folder.resolve("case.properties"))) {
          properties.load(reader);
        }
        for (String variant : new TreeSet<>(properties.stringPropertyNames())) {
          if (!variant.equals("app")) {
            String arguments = properties.getProperty(variant).replace("${CASE}", folder.toString());
            variants.add(Arguments.of(folder.getFileName().toString(), variant,
                ROOT.resolve(properties.getProperty("app")), List.of(arguments.trim().split("\\s+"))));
          }
        }
      }
    }
    return variants.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void buildWritesTheExpectedFilesAndTheSameBytesTwice(String name, String variant, Path application,
      List<String> arguments) throws IOException {
    Path output = temporary.resolve("out");
    String printed = build(application, output, arguments);
    SortedMap<String, byte[]> first = contents(output);
    String printedAgain = build(application, output, arguments);
    assertEquals(printed, printedAgain, "the second build printed something else");
    assertSameBytes(first, contents(output));

    SortedMap<String, String> actual = new TreeMap<>();
    first.forEach((file, bytes) -> {
      if (BINARY_FOLDERS.stream().noneMatch(file::startsWith) && !isBinary(bytes)) {
        actual.put(file, normalized(new String(bytes, StandardCharsets.UTF_8), application, output));
      }
    });
    actual.put(STDOUT, normalized(printed, application, output));
    Path expected = CASES.resolve(name).resolve("expected").resolve(variant);
    if (updating()) {
      rewrite(expected, actual);
    } else {
      compare(expected, actual);
    }
  }

  private static String build(Path application, Path output, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("build", application.toString(), "-o", output.toString(), "--quiet"));
    command.addAll(arguments);
    FlexcRun run = FlexcRun.run(command.toArray(String[]::new));
    assertEquals(0, run.exit(), () -> "flexc " + String.join(" ", command) + " failed:\n" + run.err());
    return CACHE_LINE.matcher(run.out()).replaceAll("");
  }

  private static SortedMap<String, byte[]> contents(Path directory) throws IOException {
    SortedMap<String, byte[]> contents = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String name = directory.relativize(file).toString();
        byte[] bytes = Files.readAllBytes(file);
        if (name.equals(ProgramBuild.SUMMARY)) {
          bytes = CACHE_LINE.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("")
              .getBytes(StandardCharsets.UTF_8);
        }
        contents.put(name, bytes);
      }
    }
    return contents;
  }

  private static void assertSameBytes(SortedMap<String, byte[]> first, SortedMap<String, byte[]> second) {
    assertEquals(first.keySet(), second.keySet(), "the second build wrote other files");
    first.forEach((file, bytes) -> {
      if (!Arrays.equals(bytes, second.get(file))) {
        fail("the second build wrote other bytes to " + file);
      }
    });
  }

  private static boolean isBinary(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  private static String normalized(String text, Path application, Path output) {
    return text.replace(output.toString(), "$OUT").replace(application.toString(), "$APP");
  }

  private static boolean updating() {
    return Boolean.getBoolean("flexc.golden.update") || "1".equals(System.getenv("FLEXC_GOLDEN_UPDATE"));
  }

  private static void rewrite(Path expected, Map<String, String> actual) throws IOException {
    if (Files.exists(expected)) {
      try (Stream<Path> walk = Files.walk(expected)) {
        for (Path path : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(path);
        }
      }
    }
    for (Map.Entry<String, String> file : actual.entrySet()) {
      Path target = expected.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
  }

  private static void compare(Path expected, SortedMap<String, String> actual) throws IOException {
    SortedMap<String, String> wanted = new TreeMap<>();
    if (Files.isDirectory(expected)) {
      try (Stream<Path> walk = Files.walk(expected)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          wanted.put(expected.relativize(file).toString(), Files.readString(file));
        }
      }
    }
    StringBuilder differences = new StringBuilder();
    TreeSet<String> files = new TreeSet<>(wanted.keySet());
    files.addAll(actual.keySet());
    for (String file : files) {
      String before = wanted.getOrDefault(file, "");
      String after = actual.getOrDefault(file, "");
      if (!Objects.equals(wanted.get(file), actual.get(file))) {
        List<String> beforeLines = before.lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(
            wanted.containsKey(file) ? "expected/" + file : "/dev/null",
            actual.containsKey(file) ? "actual/" + file : "/dev/null",
            beforeLines, DiffUtils.diff(beforeLines, after.lines().toList()), 3);
        differences.append(String.join("\n", diff)).append('\n');
      }
    }
    if (!differences.isEmpty()) {
      fail("the build's output differs from " + ROOT.relativize(expected)
          + " (rewrite with -Dflexc.golden.update=true if the change is meant):\n" + differences);
    }
  }
}
