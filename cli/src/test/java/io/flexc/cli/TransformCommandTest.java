package io.flexc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.build.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flexc transform} and {@code flexc analyze} end to end on the transformer's {@code gates}
 * sample: the rewritten program, linked with its fcall gates, prints what the original prints.
 */
class TransformCommandTest {

  @TempDir Path temporary;
  private Path application;
  private Path config;

  @BeforeEach
  void copySample() throws IOException {
    application = temporary.resolve("gates");
    GatesSample.copyTo(application);
    config = Files.writeString(temporary.resolve("split.json"), "{\"compartments\": [[\"a\"], [\"b\"]]}");
  }

  /** The objects under {@code output}/objects, named relative to {@code output} as the script names them. */
  private static List<String> objects(Path output) throws IOException {
    try (Stream<Path> walk = Files.walk(output.resolve("objects"))) {
      return walk.map(p -> output.relativize(p).toString()).filter(p -> p.endsWith(".o")).sorted().toList();
    }
  }

  @Test
  void theRewrittenProgramBehavesAsTheOriginal() throws Exception {
    Path output = temporary.resolve("out");
    FlexcRun transform = FlexcRun.run("transform", application.toString(), "--config", config.toString(),
        "-o", output.toString());
    assertEquals(0, transform.exit(), transform.err());
    assertTrue(transform.out().contains("0 left"), transform.out());

    List<String> link = new ArrayList<>(List.of("gcc", "-o", "rewritten", "-T", "link/linux.ld"));
    link.addAll(objects(output));
    link.add("gates/fcall_gates.ld");
    Program.succeed(output, link);
    String rewritten = Program.succeed(output, List.of(output.resolve("rewritten").toString()));

    Program.succeed(application, List.of("gcc", "-O2", "-o", "original", "a/main.c", "a/util.c", "b/b.c"));
    String original = Program.succeed(application, List.of(application.resolve("original").toString()));
    assertEquals(original, rewritten);
    assertTrue(rewritten.contains("twice: 10\nplus one: 6\n"), rewritten);

    String aliases = Files.readString(output.resolve("gates/fcall_gates.ld"));
    assertTrue(aliases.contains("flexc_gate_c0_b_sum = b_sum; /* 0 -> 1 */"), aliases);
    JsonNode report = Json.MAPPER.readTree(output.resolve("report.json").toFile());
    assertEquals(0, report.path("objectCheck").path("remaining").asInt(-1));
    JsonNode site = report.path("gateSites").get(0);
    for (String key : List.of("file", "line", "column", "callerLibrary", "callerCompartment", "calleeLibrary",
        "calleeCompartment", "function", "gate", "kind", "level")) {
      assertTrue(site.has(key), key);
    }
    assertTrue(Files.readString(output.resolve("report.txt")).startsWith("gates: 3 files"));
  }

  /** A function's instructions as objdump shows them, without addresses, encodings or data offsets. */
  private static List<String> instructions(Path directory, String binary, String function)
      throws IOException, InterruptedException {
    String disassembly = Program.succeed(directory, List.of("objdump", "-d", "--no-show-raw-insn", "--no-addresses", binary));
    String body = disassembly.substring(disassembly.indexOf("<" + function + ">:\n"));
    // Data the linker placed elsewhere (the runtime's object is linked in too) moves rip-relative
    // displacements; the instructions and their call targets must not change.
    return body.lines().skip(1).takeWhile(line -> !line.isBlank())
        .map(line -> line.strip().replaceAll("0x[0-9a-f]+\\(%rip\\)", "(%rip)")).toList();
  }

  @Test
  void fcallGatesLeaveTheCallersCodeAsItWas() throws Exception {
    Path app = temporary.resolve("plain");
    Files.createDirectories(app.resolve("a"));
    Files.createDirectories(app.resolve("b"));
    Files.writeString(app.resolve("flexc.yaml"), """
        backend: fcall
        build: {cflags: [-O2]}
        libraries:
          a: {metadata: a.meta, sources: [a]}
          b: {metadata: b.meta, sources: [b]}
        """);
    Files.writeString(app.resolve("a.meta"), "[Library] ::= a\n");
    Files.writeString(app.resolve("b.meta"), "[Library] ::= b\n");
    Files.writeString(app.resolve("b/b.c"), "int scale(int x, int y) { return x * y + 1; }\n");
    Files.writeString(app.resolve("a/main.c"), """
        #include <stdio.h>
        int scale(int x, int y);
        int main(int argc, char **argv) { (void)argv; printf("%d\\n", scale(argc, 6) + scale(2, argc)); return 0; }
        """);
    Path output = temporary.resolve("plain-out");
    FlexcRun transform = FlexcRun.run("transform", app.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(0, transform.exit(), transform.err());
    assertTrue(Files.readString(output.resolve("src/a/main.c")).contains("flexc_gate_c0_scale(argc, 6)"));
    // Without the layout script, so that both programs have the default layout.
    List<String> link = new ArrayList<>(List.of("gcc", "-o", "rewritten"));
    link.addAll(objects(output));
    link.add("gates/fcall_gates.ld");
    Program.succeed(output, link);
    Program.succeed(app, List.of("gcc", "-O2", "-o", output.resolve("original").toString(), "a/main.c", "b/b.c"));
    assertEquals(instructions(output, "original", "main"), instructions(output, "rewritten", "main"),
        "the rewritten main calls scale directly, instruction for instruction");
  }

  @Test
  void aBadConfigurationIsAnInputError() throws IOException {
    Path output = temporary.resolve("out");
    Files.writeString(config, "{\"compartments\": [[\"a\"]]}");
    FlexcRun unplaced = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, unplaced.exit());
    assertEquals(config + ":1:18: error: library 'b' is not placed in any compartment\n", unplaced.err());

    Files.writeString(config, "{\"compartments\": [[\"a\", \"b\", \"c\"]]}");
    FlexcRun unknown = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(config + ":1:30: error: unknown library 'c'; the application has a, b\n", unknown.err());

    Files.writeString(config, "not json");
    FlexcRun garbage = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, garbage.exit());
    assertEquals(config + ":1:4: error: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or"
        + " token 'null', 'true' or 'false')\n", garbage.err());
    assertFalse(Files.exists(output));
  }

  @Test
  void configAndSolveAreExclusive() {
    FlexcRun both = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "--solve",
        "-o", temporary.resolve("out").toString());
    assertEquals(Flexc.EXIT_USAGE, both.exit());
    assertTrue(both.err().contains("give exactly one of --config and --solve"), both.err());
  }

  @Test
  void aGateTheBackendCannotCarryStopsTheTransformBeforeTheRewrite() throws IOException {
    GatesSample.addBigArgument(application);
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("transform", application.toString(), "--backend", "mpk", "--config", config.toString(),
        "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertEquals("flexc: check gates: " + application + ": the mpk backend cannot carry 1 gate of the 11 this"
        + " configuration needs; nothing was rewritten:\n"
        + "  mpk: gate flexc_gate_c0_b_first: b_first takes 264 bytes of stack arguments, more than the 256 a gate"
        + " forwards (FLEXC_STACK_ARGUMENT_BYTES); keep its callers in b's compartment, pass a structure"
        + " by pointer, or use the fcall backend (called from " + application.resolve("a/a_big.c") + ")\n"
        + "flexc: nothing was written to " + output + "\n", run.err());
    assertFalse(Files.exists(output));
  }

  @Test
  void anApiPrototypeThatIsNotTheCompilersIsAnErrorAtItsEntry() throws IOException {
    Path meta = application.resolve("meta/b.meta");
    Files.writeString(meta, """
        # Test library b.
        [Library] ::= b
        [Memory Access] ::= RA, WA
        [Call] ::= XA
        [API] ::= (b_add, SYMB, "int b_add(int x, int y)") \\
                  (b_sum, SYMB, "int b_sum(int count, int first)")
        [Requires] ::= R, W, X
        """);
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertEquals("flexc: transform: " + application + ": the [API] prototypes of the metadata do not match the"
        + " compiler's:\n" + meta + ":6:11: error: the [API] prototype of b_sum, 'int b_sum(int count, int first)',"
        + " does not match the compiler's, 'int b_sum(int count, ...)' (defined in b/b.c): 2 parameters in the [API],"
        + " 1 in the compiler's; variadic in the compiler's, not in the [API]\nflexc: nothing was written to " + output
        + "\n", run.err());
    assertFalse(Files.exists(output));
  }

  @Test
  void nothingIsWrittenWhenTheSourcesDoNotCompile() throws IOException {
    Files.writeString(application.resolve("a/broken.c"), "int broken(void) { return }\n");
    Path output = temporary.resolve("out");
    FlexcRun run = FlexcRun.run("transform", application.toString(), "--config", config.toString(), "-o", output.toString());
    assertEquals(Flexc.EXIT_INVALID_INPUT, run.exit());
    assertTrue(run.err().contains("the original sources do not compile"), run.err());
    assertTrue(run.err().contains("nothing was written to"), run.err());
    assertFalse(Files.exists(output));
    try (Stream<Path> left = Files.list(temporary)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".partial")), "no partial output is left");
    }
  }

  @Test
  void analyzeReportsEveryCrossLibraryReference() throws IOException {
    Path json = temporary.resolve("analysis.json");
    FlexcRun run = FlexcRun.run("analyze", application.toString(), "--json", json.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("CALLER -> CALLEE"), run.out());
    assertTrue(run.out().contains("a -> b"), run.out());
    assertTrue(run.out().contains("function definitions found in the sources: 14 of 14"), run.out());
    JsonNode analysis = Json.MAPPER.readTree(json.toFile());
    assertEquals(0, analysis.path("objectCheck").path("remaining").asInt(-1));
    assertEquals(18, analysis.path("objectCheck").path("crossReferences").asInt());
  }
}
