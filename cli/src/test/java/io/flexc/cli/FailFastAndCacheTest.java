package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flexc build} fails fast and keeps its work: a gate the backend cannot carry stops it
 * before any file is rewritten, and a second build takes every compilation from the cache.
 */
class FailFastAndCacheTest {

  private static final Pattern CACHE_LINE = Pattern.compile("compile cache: (\\d+) hits?, (\\d+) miss(es)?\\n");

  @TempDir Path temporary;
  private Path application;
  private Path config;

  @BeforeEach
  void copySample() throws IOException {
    application = GatesSample.copyTo(temporary.resolve("gates"));
    config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"a\"], [\"b\"]]}");
  }

  @Test
  void aGateTheBackendCannotCarryStopsTheBuildBeforeTheRewrite() throws IOException {
    GatesSample.addBigArgument(application);
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("build", application.toString(), "--backend", "proc", "--config", config.toString(),
        "-o", output.toString(), "--quiet");
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertEquals("flexc: check gates: " + application + ": the proc backend cannot carry 1 gate of the 11 this"
        + " configuration needs; nothing was rewritten:\n"
        + "  proc: gate flexc_gate_c0_b_first: b_first takes 264 bytes of stack arguments, more than the 256 a gate"
        + " forwards (FLEXC_STACK_ARGUMENT_BYTES); keep its callers in b's compartment, pass a structure"
        + " by pointer, or use the fcall backend (called from " + application.resolve("a/a_big.c") + ")\n"
        + "flexc: nothing was written to " + output + "\n", run.err());
    assertEquals("", run.out());
    assertFalse(Files.exists(output));
  }

  @Test
  void theSolverKeepsACallTheBackendCannotGateInOneCompartment() throws IOException {
    GatesSample.addBigArgument(application);
    Path flexcYaml = application.resolve("flexc.yaml");
    Files.writeString(flexcYaml, Files.readString(flexcYaml) + "constraints:\n  isolate: [b]\n");
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("build", application.toString(), "--backend", "proc", "-o", output.toString(),
        "--quiet");
    assertEquals(Flexc.EXIT_UNSATISFIABLE, run.exit());
    assertEquals("flexc: note: a and b are kept in one compartment: proc: gate b_first: b_first takes 264 bytes of"
        + " stack arguments, more than the 256 a gate forwards (FLEXC_STACK_ARGUMENT_BYTES); keep its callers in b's"
        + " compartment, pass a structure by pointer, or use the fcall backend (called from " + application.resolve("a/a_big.c") + ")\n"
        + "flexc: the policy is unsatisfiable; these rules cannot all hold (dropping any one of them would make it"
        + " satisfiable):\n"
        + "  isolate: b (" + flexcYaml + ":16:13)\n"
        + "  together: [a, b] (" + application.resolve("a/a_big.c") + ":1:1)\n"
        + "flexc: no configuration to build: run flexc solve " + application + " for the reason\n", run.err());
    assertFalse(Files.exists(output));
  }

  @Test
  void aSecondBuildTakesEveryCompilationFromTheCache() throws IOException {
    Path output = temporary.resolve("out");
    String[] build = {"build", application.toString(), "--backend", "fcall", "--config", config.toString(), "-o",
        output.toString(), "--quiet"};
    FlexcRun first = FlexcRun.run(build);
    assertEquals(0, first.exit(), first.err());
    FlexcRun second = FlexcRun.run(build);
    assertEquals(0, second.exit(), second.err());
    int[] before = cacheCounts(first.out());
    int[] after = cacheCounts(second.out());
    // The sample lies in a new directory, so nothing of it was compiled before; the originals and
    // the files the rewrite left unchanged compile alike, so even the first build hits.
    assertTrue(before[1] > 0, first.out());
    assertEquals(0, after[1], second.out());
    assertEquals(before[0] + before[1], after[0], second.out());
    assertEquals(Files.readString(output.resolve("summary.txt")), second.out());

    FlexcRun uncached = FlexcRun.run("build", application.toString(), "--backend", "fcall", "--config",
        config.toString(), "-o", output.toString(), "--quiet", "--no-cache");
    assertEquals(0, uncached.exit(), uncached.err());
    assertFalse(uncached.out().contains("compile cache"), uncached.out());
  }

  private static int[] cacheCounts(String summary) {
    Matcher matcher = CACHE_LINE.matcher(summary);
    assertTrue(matcher.find(), summary);
    return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
  }
}
