package io.flexc.cli;

import static io.flexc.cli.FlexcRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs made to break a reader — deep nesting, special files, huge files, bad paths, names that
 * forge output lines — each make {@code flexc check} exit 1 with one diagnostic line, never a Java
 * stack trace, a hang or running out of memory.
 */
class HostileInputTest {

  @TempDir static Path directory;

  /** The answer to one input: what to run and the one line it must print. */
  private record Case(String name, List<String> arguments, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void warmUp() {
    run("check", directory.resolve("missing.meta").toString());
  }

  private static Path write(String name, String text) throws IOException {
    Path file = directory.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static Path application(String name, String flexcYaml) throws IOException {
    write(name + "/a.meta", "[Library] ::= a\n");
    return write(name + "/flexc.yaml", flexcYaml).getParent();
  }

  static Stream<Arguments> reproducers() throws IOException {
    Path deepApi = write("deep.meta", "[API] ::= " + "(".repeat(700) + "\n");
    Path deepFlexc = application("deep-flexc", "name: t\nlibraries: " + "[".repeat(2000) + "\n");
    Path deepKraft = write("deep-kraft/kraft.yaml", "compartments: " + "[".repeat(2000) + "\n");
    Path nul = application("nul", "libraries:\n  a: {metadata: \"a\\0.meta\"}\n");
    Path glob = application("glob", "libraries:\n  a: {metadata: a.meta, sources: [\"[\"]}\n");
    Path forged = application("forged", "libraries:\n  a: {metadata: a.meta, sources: [\"x\\ny.c:1:1: error: forged\\u2028\"]}\n");
    Path random = application("random", "libraries:\n  a: {metadata: /dev/urandom}\n");
    Path huge = directory.resolve("huge.meta");
    Files.write(huge, ("[Requires] ::= " + "Q ".repeat(60) + "\n").repeat(80_000).getBytes());
    return Stream.of(
        new Case("700 nested ( in [API]", List.of(deepApi.toString()),
            deepApi + ":1:75: error: tuples nested more than 64 deep"),
        new Case("2000 nested [ in flexc.yaml", List.of(deepFlexc.toString()),
            deepFlexc.resolve("flexc.yaml") + ":2:75: error: invalid YAML: lists and mappings nested more than 64 deep"),
        new Case("2000 nested [ in kraft.yaml", List.of(deepKraft.toString()),
            deepKraft + ":1:78: error: invalid YAML: lists and mappings nested more than 64 deep"),
        new Case("a NUL byte in a path", List.of(nul.toString()),
            nul.resolve("flexc.yaml") + ":2:17: error: metadata of library 'a' 'a\\u0000.meta' is not a valid path:"
                + " Nul character not allowed"),
        new Case("a bad glob", List.of(glob.toString()),
            glob.resolve("flexc.yaml") + ":2:35: error: source pattern '[' is not a valid glob: Missing ']"),
        new Case("a source path that forges a diagnostic line", List.of(forged.toString()),
            forged.resolve("flexc.yaml") + ":2:35: error: source x\\ny.c:1:1: error: forged\\u2028 does not exist: "
                + forged.resolve("x").toAbsolutePath().normalize() + "\\ny.c:1:1: error: forged\\u2028"),
        new Case("metadata: /dev/urandom", List.of(random.toString()),
            "/dev/urandom:1:1: error: cannot read /dev/urandom: not a regular file"),
        new Case("a 10 MB file", List.of(huge.toString()),
            huge + ":1:1: error: cannot read " + huge + ": larger than 4 MiB, the limit for input files"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reproducers")
  void eachReproducerIsOneDiagnosticLine(Case input) {
    FlexcRun result = check(input.arguments());
    assertEquals(input.expected() + "\n", result.err());
  }

  @Test
  void devZeroAnswersAtOnce() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    FlexcRun result = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> check(List.of(zero.toString())));
    assertEquals("/dev/zero:1:1: error: cannot read /dev/zero: not a regular file\n", result.err());
  }

  @Test
  void aFifoAnswersAtOnce() throws Exception {
    Path fifo = directory.resolve("fifo.meta");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
    FlexcRun result = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> check(List.of(fifo.toString())));
    assertEquals(fifo + ":1:1: error: cannot read " + fifo + ": not a regular file\n", result.err());
  }

  @Test
  void aFileWithThousandsOfErrorsPrintsFiftyAndACount() throws IOException {
    Path many = write("many.meta", "[Requires] ::= " + "Q ".repeat(60_000) + "\n");
    FlexcRun result = check(List.of(many.toString()));
    List<String> lines = result.err().lines().toList();
    assertEquals(51, lines.size());
    assertEquals(many + ":1:16: error: unknown permission 'Q' in [Requires]; expected R, W or X", lines.get(0));
    assertEquals(many + ":1:116: note: \u2026 59950 more diagnostics", lines.get(50));
  }

  /** Runs {@code flexc check ARGUMENTS} and checks what every hostile input must give. */
  private static FlexcRun check(List<String> arguments) {
    FlexcRun result = run(Stream.concat(Stream.of("check"), arguments.stream()).toArray(String[]::new));
    String printed = result.out() + result.err();
    for (String trace : List.of("Exception", "at io.flexc", "at java.")) {
      assertFalse(printed.contains(trace), "a stack trace:\n" + printed);
    }
    assertEquals(Flexc.EXIT_INVALID_INPUT, result.exit(), printed);
    assertTrue(result.err().endsWith("\n"), printed);
    return result;
  }
}
