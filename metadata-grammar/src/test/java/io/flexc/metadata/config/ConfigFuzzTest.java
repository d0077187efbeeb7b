package io.flexc.metadata.config;

import static io.flexc.metadata.TestSupport.formatted;
import static io.flexc.metadata.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.LinearTime;
import io.flexc.model.Application;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomly assembled flexc.yaml and kraft.yaml files, valid or not, never make the readers throw:
 * they give a value or at least one error. The timeout only guards against hangs.
 */
class ConfigFuzzTest {

  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static final int ITERATIONS = 300;
  private static final List<String> NAMES = List.of("a", "b", "zz", "c1", "c2", "3x", "''", "[a]", "{}");
  private static final List<String> DRIVERS = List.of("intel-pku", "vmept", "fcalls", "sgx", "[x]", "''");
  private static final List<String> BOOLEANS = List.of("true", "false", "yes", "maybe", "[true]");

  @TempDir Path directory;
  private Random random;

  @BeforeEach
  void files() {
    write(directory, "a.meta", "[Call] ::= b::g, zz::f\n");
    write(directory, "b.meta", "[API] ::= (g, SYMB)\n");
  }

  @Test
  void randomFlexcYaml() {
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      random = new Random(31);
      for (int iteration = 0; iteration < ITERATIONS; iteration++) {
        StringBuilder yaml = new StringBuilder();
        optional(yaml, "name: " + pick(NAMES) + "\n");
        optional(yaml, "backend: " + pick(List.of("mpk", "ept", "proc", "fcall", "sgx", "[mpk]")) + "\n");
        yaml.append("libraries:\n");
        for (int i = random.nextInt(3); i >= 0; i--) {
          yaml.append("  ").append(pick(NAMES)).append(": {metadata: ").append(pick(List.of("a.meta", "b.meta", "x.meta", "."))).append("}\n");
        }
        optional(yaml, "hardening: [" + pick(List.of("asan", "cfi", "nope")) + ", " + pick(List.of("sp", "ubsan", "[]")) + "]\n");
        optional(yaml, "constraints:\n  together: [[" + pick(NAMES) + ", " + pick(NAMES) + "]]\n  max-compartments: "
            + pick(List.of("1", "0", "-3", "many", "99999999999")) + "\n  isolate: [" + pick(NAMES) + "]\n");
        optional(yaml, pick(List.of("colour: red\n", "mechanisms: nodir\n", "mechanisms: a.meta\n", "- x\n")));
        String text = yaml.toString();
        check(text, ApplicationLoader.load(write(directory, "flexc.yaml", text), TestBackends.CATALOG));
      }
    });
  }

  @Test
  void randomKraftYaml() {
    Application application = ApplicationLoader.load(
        write(directory, "flexc.yaml", "name: t\nlibraries:\n  b: {metadata: b.meta}\n"), TestBackends.CATALOG).get();
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      random = new Random(32);
      for (int iteration = 0; iteration < ITERATIONS; iteration++) {
        StringBuilder yaml = new StringBuilder("compartments:\n");
        for (int i = random.nextInt(4); i > 0; i--) {
          yaml.append("  - name: ").append(pick(NAMES)).append('\n');
          optional(yaml, "    mechanism: {driver: " + pick(DRIVERS) + "}\n");
          optional(yaml, "    default: " + pick(BOOLEANS) + "\n");
        }
        optional(yaml, "libraries:\n");
        for (int i = random.nextInt(4); i > 0; i--) {
          yaml.append("  ").append(pick(NAMES)).append(": {compartment: ").append(pick(NAMES))
              .append(random.nextBoolean() ? ", hardening: [asan, " + pick(NAMES) + "]" : "").append("}\n");
        }
        String text = yaml.toString();
        Path kraft = write(directory, "kraft.yaml", text);
        check(text, KraftImporter.read(kraft, TestBackends.CATALOG));
        check(text, KraftImporter.readFor(kraft, application, TestBackends.CATALOG));
      }
    });
  }

  @Test
  void deepNestingIsOneDiagnosticNotAStackOverflow() {
    for (String deep : List.of("[".repeat(2000), "{a: ".repeat(2000), "\n".concat(" - ".repeat(2000)))) {
      Path flexc = write(directory, "flexc.yaml", "name: t\nlibraries: " + deep + "\n");
      List<String> problems = formatted(ApplicationLoader.load(flexc, TestBackends.CATALOG));
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith(flexc + ":"), problems.get(0));
      assertTrue(problems.get(0).endsWith(": error: invalid YAML: lists and mappings nested more than 64 deep"),
          problems.get(0));
      Path kraft = write(directory, "kraft.yaml", "compartments: " + deep + "\n");
      assertEquals(1, formatted(KraftImporter.read(kraft, TestBackends.CATALOG)).size(),
          formatted(KraftImporter.read(kraft, TestBackends.CATALOG)).toString());
    }
    assertEquals(List.of(directory.resolve("flexc.yaml") + ":2:75: error: invalid YAML: lists and mappings nested more"
            + " than 64 deep"),
        formatted(ApplicationLoader.load(write(directory, "flexc.yaml", "name: t\nlibraries: " + "[".repeat(70)), TestBackends.CATALOG)));
  }

  @Test
  void aliasBombsAreRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char level = 'b'; level <= 'k'; level++) {
      bomb.append(level).append(": &").append(level).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*" + (char) (level - 1)))).append("]\n");
    }
    Path kraft = write(directory, "kraft.yaml", bomb.toString());
    List<String> problems = formatted(KraftImporter.read(kraft, TestBackends.CATALOG));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("error: invalid YAML: "), problems.get(0));
  }

  @Test
  void specialFilesBadPathsAndBadGlobsAreDiagnostics() throws Exception {
    Path flexc = directory.resolve("flexc.yaml");
    assertEquals(List.of("/dev/zero:1:1: error: cannot read /dev/zero: not a regular file"),
        formatted(ApplicationLoader.load(write(directory, "flexc.yaml", "libraries:\n  a: {metadata: /dev/zero}\n"), TestBackends.CATALOG)));
    assertEquals(List.of(flexc + ":2:17: error: metadata of library 'a' 'a\\u0000.meta' is not a valid path:"
            + " Nul character not allowed"),
        formatted(ApplicationLoader.load(write(directory, "flexc.yaml", "libraries:\n  a: {metadata: \"a\\0.meta\"}\n"), TestBackends.CATALOG)));
    assertEquals(List.of(flexc + ":2:35: error: source pattern '[' is not a valid glob: Missing ']"),
        formatted(ApplicationLoader.load(write(directory, "flexc.yaml", "libraries:\n  a: {metadata: a.meta, sources: [\"[\"]}\n"), TestBackends.CATALOG)));
    assertEquals(List.of(flexc + ":2:35: error: source x\\ny.c:1:1: error: fake does not exist: " + directory.resolve("x")
            + "\\ny.c:1:1: error: fake"),
        formatted(ApplicationLoader.load(write(directory, "flexc.yaml",
            "libraries:\n  a: {metadata: a.meta, sources: [\"x\\ny.c:1:1: error: fake\"]}\n"), TestBackends.CATALOG)));
    Path fifo = directory.resolve("fifo.meta");
    if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertEquals(
          List.of(fifo + ":1:1: error: cannot read " + fifo + ": not a regular file"),
          formatted(ApplicationLoader.load(write(directory, "flexc.yaml", "libraries:\n  a: {metadata: fifo.meta}\n"), TestBackends.CATALOG))));
    }
  }

  @Test
  void applicationsLoadInLinearTime() {
    LinearTime.assertLinear("flexc.yaml with n libraries", 200, n -> {
      StringBuilder yaml = new StringBuilder("name: t\nlibraries:\n");
      for (int i = 0; i < n; i++) {
        yaml.append("  l").append(i).append(": {metadata: b.meta}\n");
      }
      Path flexc = write(directory, "flexc-" + n + ".yaml", yaml.toString());
      return () -> assertTrue(ApplicationLoader.load(flexc, TestBackends.CATALOG).succeeded(), formatted(ApplicationLoader.load(flexc, TestBackends.CATALOG)).toString());
    });
  }

  private void optional(StringBuilder yaml, String text) {
    if (random.nextBoolean()) {
      yaml.append(text);
    }
  }

  private String pick(List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static void check(String input, Outcome<?> outcome) {
    if (!outcome.succeeded()) {
      assertFalse(outcome.diagnostics().isEmpty(), "a failure says why; input:\n" + input);
    }
    if (outcome.value().orElse(null) instanceof ImportedConfiguration imported) {
      assertEquals(imported.compartmentNames().size(), imported.configuration().compartmentCount(),
          "every listed compartment is used; input:\n" + input);
    }
    outcome.diagnostics().forEach(diagnostic ->
        assertTrue(diagnostic.position().line() <= input.lines().count() + 1, diagnostic + "; input:\n" + input));
  }
}
