package io.flexc.metadata.config;

import static io.flexc.metadata.TestSupport.formatted;
import static io.flexc.metadata.TestSupport.formattedRelativeTo;
import static io.flexc.metadata.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Application;
import io.flexc.model.ApplicationSpec;
import io.flexc.model.BuildSpec;
import io.flexc.model.Constraint;
import io.flexc.model.LibrarySpec;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import io.flexc.model.Trust;
import io.flexc.model.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flexc.yaml: every key of the contract, the defaults, and every error with its exact text.
 * Expected diagnostics are written relative to the application directory, which {@link #problems}
 * strips from file names and paths.
 */
class ApplicationLoaderTest {

  private static final String TOP_KEYS =
      "name, backend, libraries, hardening, constraints, mechanisms, build, measure, trust";
  private static final String TWO_LIBRARIES = "libraries:\n  a: {metadata: a.meta}\n  b: {metadata: b.meta}\n";

  @TempDir Path temporary;
  private Path directory;

  @BeforeEach
  void applicationDirectory() throws IOException {
    directory = Files.createDirectory(temporary.resolve("my-app"));
    write(directory, "a.meta", "[Call] ::= b::g\n");
    write(directory, "b.meta", "[API] ::= (g, SYMB)\n");
  }

  private Outcome<Application> load(String flexcYaml) {
    write(directory, "flexc.yaml", flexcYaml);
    return ApplicationLoader.load(directory, TestBackends.CATALOG);
  }

  /** The diagnostics of loading {@code flexcYaml}, with the application directory left out. */
  private List<String> problems(String flexcYaml) {
    return formattedRelativeTo(directory, load(flexcYaml));
  }

  private void assertProblems(String flexcYaml, String... expected) {
    assertEquals(List.of(expected), problems(flexcYaml));
  }

  private SourcePosition at(int line, int column) {
    return new SourcePosition(directory.resolve("flexc.yaml").toString(), line, column);
  }

  @Test
  void everyKeyOfTheContract() {
    write(directory, "src/a.c", "int main(void) { return 0; }\n");
    write(directory, "src/b.c", "int b(void) { return 0; }\n");
    write(directory, "src/b.h", "int b(void);\n");
    write(directory, "compile_commands.json", "[]\n");
    write(directory, "mech/shadow.mech", "[Mechanism] ::= shadow\n[Effect] ::= XA -> X\n[Cost] ::= 4\n");
    Outcome<Application> outcome = load("""
        name: demo
        backend: ept
        libraries:
          a:
            metadata: a.meta
            sources: [src, src/a.c]
          b:
            metadata: b.meta
        hardening: [asan, shadow]
        constraints:
          together: [[a, b]]
          apart: [[b, a]]
          isolate: [b]
          max-compartments: 2
        mechanisms: mech
        build:
          compile-commands: compile_commands.json
          cflags: [-O2, -Isrc]
        measure:
          port: DEMO_PORT
          workload: bench -p $DEMO_PORT
          figures: '(\\w+)=(\\d+)'
          unit: ops/s
        """);
    assertEquals(List.of(), outcome.diagnostics());
    ApplicationSpec spec = outcome.get().spec();
    assertEquals("demo", spec.name());
    assertEquals(TestBackends.EPT, spec.backend());
    assertEquals(List.of(
            new LibrarySpec("a", directory.resolve("a.meta"), List.of(directory.resolve("src/a.c"),
                directory.resolve("src/b.c")), List.of(), at(4, 3)),
            LibrarySpec.metadataOnly("b", directory.resolve("b.meta"), at(7, 3))),
        spec.libraries());
    assertEquals(List.of("asan", "shadow"), spec.hardening());
    assertEquals(List.of(
            new Constraint.Together(List.of("a", "b"), at(11, 14)),
            new Constraint.Apart(List.of("b", "a"), at(12, 11)),
            new Constraint.Isolate("b", at(13, 13)),
            new Constraint.MaxCompartments(2, at(14, 21))),
        spec.constraints());
    assertEquals(Optional.of(directory.resolve("mech")), spec.mechanismDirectory());
    assertEquals(
        new BuildSpec(Optional.of(directory.resolve("compile_commands.json")), List.of("-O2", "-Isrc")),
        spec.build());
    assertEquals(List.of("a", "b"), outcome.get().libraryNames());
    assertTrue(outcome.get().mechanisms().containsKey("shadow"));
    WorkloadSpec workload = spec.workload().orElseThrow();
    assertEquals("bench -p $DEMO_PORT", workload.command());
    assertEquals(Optional.of("DEMO_PORT"), workload.portVariable());
    assertEquals("(\\w+)=(\\d+)", workload.figures().pattern());
    assertEquals("ops/s", workload.unit());
  }

  @Test
  void badMeasure() {
    String library = "libraries:\n  b: {metadata: b.meta}\n";
    assertProblems(library + "measure:\n  workload: bench\n",
        "flexc.yaml:4:3: error: missing key 'figures' in measure");
    assertProblems(library + "measure:\n  workload: bench\n  figures: '(x'\n  port: 'no port'\n",
        "flexc.yaml:6:9: error: port must name an environment variable, not 'no port'",
        "flexc.yaml:5:12: error: figures is not a valid regular expression: Unclosed group");
    assertProblems(library + "measure:\n  workload: bench\n  figures: '(\\d+) ops'\n",
        "flexc.yaml:5:12: error: figures needs two groups, the figure's name and its value,"
            + " e.g. '([A-Z]+): ([0-9.]+) requests per second'");
  }

  @Test
  void sourcesAreFilesDirectoriesAndGlobs() {
    write(directory, "lib/x.c", "");
    write(directory, "lib/y.c", "");
    write(directory, "lib/y.h", "");
    write(directory, "lib/sub/z.c", "");
    write(directory, "lib/sub/deeper/w.c", "");
    Outcome<Application> outcome = load("""
        libraries:
          a:
            metadata: a.meta
            sources: [lib, lib/x.c, "lib/sub/*.c"]
            cflags: [-DA=1]
          b:
            metadata: b.meta
            sources: ["lib/**/w.c"]
        """);
    assertEquals(List.of(), outcome.diagnostics());
    List<LibrarySpec> libraries = outcome.get().spec().libraries();
    assertEquals(
        List.of(directory.resolve("lib/x.c"), directory.resolve("lib/y.c"), directory.resolve("lib/sub/z.c")),
        libraries.get(0).sources(),
        "a directory gives its own .c files, not its subdirectories'; repeats are dropped");
    assertEquals(List.of("-DA=1"), libraries.get(0).cflags());
    assertEquals(List.of(directory.resolve("lib/sub/deeper/w.c")), libraries.get(1).sources());
  }

  @Test
  void aSourcePatternThatMatchesNothingIsAnError() {
    assertProblems("""
        libraries:
          a:
            metadata: a.meta
            sources: ["lib/*.c", missing.c]
        """,
        "flexc.yaml:4:15: error: source pattern 'lib/*.c' matches no file",
        "flexc.yaml:4:26: error: source missing.c does not exist: missing.c");
  }

  @Test
  void defaults() {
    Outcome<Application> outcome = load("libraries:\n  b:\n    metadata: b.meta\n");
    ApplicationSpec spec = outcome.get().spec();
    assertEquals("my-app", spec.name(), "named after its directory");
    assertEquals(TestBackends.PROC, spec.backend());
    assertEquals(List.of(), spec.hardening());
    assertEquals(List.of(), spec.constraints());
    assertEquals(Optional.empty(), spec.mechanismDirectory());
    assertEquals(List.of("asan", "cfi", "sp", "ubsan"), List.copyOf(outcome.get().mechanisms().keySet()));
    assertEquals(outcome.get().spec(), ApplicationLoader.load(directory.resolve("flexc.yaml"), TestBackends.CATALOG).get().spec(),
        "the file itself may be given");
  }

  @Test
  void unknownKeys() {
    assertProblems("name: t\nlibraries:\n  b:\n    metadata: b.meta\ncolour: red\n",
        "flexc.yaml:5:1: error: unknown key 'colour' in flexc.yaml; expected one of " + TOP_KEYS);
    assertProblems("libraries:\n  b:\n    metadata: b.meta\n    extra: 1\n",
        "flexc.yaml:4:5: error: unknown key 'extra' in library 'b'; expected one of metadata, sources, cflags");
    assertProblems("libraries:\n  b: {metadata: b.meta}\nconstraints:\n  nearby: [b]\n",
        "flexc.yaml:4:3: error: unknown key 'nearby' in constraints; expected one of together, apart, isolate,"
            + " max-compartments");
  }

  @Test
  void missingKeys() {
    assertProblems("name: t\n", "flexc.yaml:1:1: error: missing key 'libraries' in flexc.yaml");
    assertProblems("libraries:\n  b:\n    sources: []\n", "flexc.yaml:2:3: error: missing key 'metadata' in library 'b'");
  }

  @Test
  void badValues() {
    assertProblems("backend: sgx\nlibraries:\n  b: {metadata: b.meta}\n",
        "flexc.yaml:1:10: error: unknown backend 'sgx'; expected fcall, mpk, ept or proc");
    assertProblems("name: 3 x\nlibraries:\n  b: {metadata: b.meta}\n",
        "flexc.yaml:1:7: error: '3 x' is not a valid application name (letters, digits, _ and inner -); set name:");
    assertProblems("libraries: {}\n", "flexc.yaml:1:12: error: an application needs at least one library");
    assertProblems("libraries:\n  b: [x]\nhardening: asan\n",
        "flexc.yaml:2:6: error: library 'b' must be a mapping of keys to values",
        "flexc.yaml:3:12: error: hardening must be a list, e.g. [a, b]");
    assertProblems("libraries:\n  b: {metadata: b.meta}\n  b: {metadata: b.meta}\n",
        "flexc.yaml:3:3: error: duplicate key 'b' in libraries; it was already given at 2:3");
  }

  @Test
  void badConstraints() {
    assertProblems(TWO_LIBRARIES + "constraints:\n  together: [[a]]\n  max-compartments: 0\n",
        "flexc.yaml:5:14: error: each group of together names at least two libraries, e.g. [a, b]",
        "flexc.yaml:6:21: error: max-compartments must be at least 1");
    assertProblems(TWO_LIBRARIES + "constraints:\n  apart: [[a, b, a]]\n",
        "flexc.yaml:5:11: error: 'a' is named twice in apart: [a, b, a]");
    assertProblems("libraries:\n  b: {metadata: b.meta}\nconstraints:\n  max-compartments: many\n",
        "flexc.yaml:4:21: error: max-compartments must be a whole number");
  }

  @Test
  void trustIsOneEdgePerReader() {
    Outcome<Application> outcome = load(TWO_LIBRARIES + """
        trust:
          a: {readableBy: [b]}
          b:
            writableBy: [a]
        """);
    assertEquals(List.of(), outcome.diagnostics());
    assertEquals(List.of(
            new Trust("a", "b", Trust.Access.READ, at(5, 20)),
            new Trust("b", "a", Trust.Access.WRITE, at(7, 18))),
        outcome.get().spec().trust());
    assertEquals("a: {readableBy: [b]}", outcome.get().spec().trust().get(0).describe());
  }

  @Test
  void badTrust() {
    assertProblems(TWO_LIBRARIES + "trust:\n  c: {readableBy: [b]}\n  a: {readableBy: [a, d]}\n",
        "flexc.yaml:5:3: error: unknown library 'c'; the application has a, b",
        "flexc.yaml:6:20: error: 'a' cannot trust itself: a compartment always reads and writes its own memory",
        "flexc.yaml:6:23: error: unknown library 'd'; the application has a, b");
    assertProblems(TWO_LIBRARIES + "trust:\n  a: {readableBy: [b], writableBy: [b]}\n",
        "flexc.yaml:5:37: error: 'b' is named twice in trust of 'a' (writableBy lets a reader read too)");
    assertProblems(TWO_LIBRARIES + "trust:\n  a: {readBy: [b]}\n",
        "flexc.yaml:5:7: error: unknown key 'readBy' in trust of 'a'; expected one of readableBy, writableBy",
        "flexc.yaml:5:6: error: trust of 'a' names no reader; e.g. a: {readableBy: [other]}");
    assertProblems(TWO_LIBRARIES + "trust:\n  a: {readableBy: b}\n  b: [a]\n",
        "flexc.yaml:5:19: error: readableBy of 'a' must be a list, e.g. [a, b]",
        "flexc.yaml:6:6: error: trust of 'b' must be a mapping of keys to values");
    assertProblems(TWO_LIBRARIES + "trust: [a]\n",
        "flexc.yaml:4:8: error: trust must be a mapping of keys to values");
  }

  @Test
  void unknownLibraryInAConstraint() {
    assertProblems(TWO_LIBRARIES + "constraints:\n  together: [[a, zz]]\n  isolate: [b, yy]\n",
        "flexc.yaml:5:14: error: unknown library 'zz'; the application has a, b",
        "flexc.yaml:6:16: error: unknown library 'yy'; the application has a, b");
  }

  @Test
  void unknownMechanismInHardening() {
    assertProblems("libraries:\n  b: {metadata: b.meta}\nhardening: [asan, nope]\n",
        "flexc.yaml:3:19: error: unknown hardening mechanism 'nope'; known: asan, cfi, sp, ubsan");
  }

  @Test
  void aMechanismWhoseNeedsAreNotAllowedIsIneffective() {
    Outcome<Application> outcome = load("libraries:\n  b: {metadata: b.meta}\nhardening: [ubsan, cfi]\n");
    assertEquals(List.of(at(3, 20) + ": warning: cfi needs sp for its effect, but hardening does not allow sp;"
        + " the solver will not apply it"), formatted(outcome));
    assertTrue(outcome.succeeded(), "a warning keeps the application");
  }

  @Test
  void missingFiles() {
    assertProblems("libraries:\n  b:\n    metadata: gone.meta\n",
        "flexc.yaml:3:15: error: metadata of library 'b' (gone.meta) does not exist: gone.meta");
    assertProblems("libraries:\n  b:\n    metadata: b.meta\n    sources: [b.meta, nope.c]\n",
        "flexc.yaml:4:23: error: source nope.c does not exist: nope.c");
    assertProblems("libraries:\n  b: {metadata: b.meta}\nmechanisms: nodir\n",
        "flexc.yaml:3:13: error: mechanisms (nodir) does not exist: nodir");
  }

  @Test
  void unreadableFilesAreIoErrors() throws IOException {
    Path empty = Files.createDirectory(temporary.resolve("empty"));
    Path config = empty.resolve("flexc.yaml");
    assertEquals(List.of(config + ":1:1: error: cannot read " + config + ": no such file"),
        formatted(ApplicationLoader.load(empty, TestBackends.CATALOG)));
    Files.createDirectory(directory.resolve("folder"));
    assertProblems("libraries:\n  b:\n    metadata: folder\n", "folder:1:1: error: cannot read folder: not a regular file");
    assertProblems("libraries:\n  b: {metadata: b.meta}\nmechanisms: a.meta\n",
        "a.meta:1:1: error: cannot read a.meta: not a readable directory of *.mech files");
  }

  @Test
  void invalidYaml() {
    assertProblems("", "flexc.yaml:1:1: error: the file is empty");
    assertProblems("name: [t\n", "flexc.yaml:2:1: error: invalid YAML: expected ',' or ']', but got <stream end>");
    assertProblems("- a\n- b\n", "flexc.yaml:1:1: error: flexc.yaml must be a mapping of keys to values");
  }

  @Test
  void callsMustNameLibrariesOfTheApplication() {
    write(directory, "c.meta", "[Call] ::= ghost::f, b::g, b::h, b::*\n");
    assertProblems("name: t\nlibraries:\n  b: {metadata: b.meta}\n  c: {metadata: c.meta}\n",
        "c.meta:1:12: error: [Call] names library 'ghost', which is not part of application 't' (libraries: b, c)",
        "c.meta:1:28: warning: [Call] names b::h, but the [API] of 'b' does not export 'h'");
  }

  @Test
  void unexportedCallTargetsOnlyWarn() {
    write(directory, "c.meta", "[Call] ::= b::h\n");
    Outcome<Application> outcome = load("name: t\nlibraries:\n  b: {metadata: b.meta}\n  c: {metadata: c.meta}\n");
    assertTrue(outcome.succeeded());
    assertEquals(1, outcome.diagnostics().size());
    assertFalse(outcome.diagnostics().get(0).isError());
  }

  @Test
  void metadataMustDescribeTheLibraryItIsListedFor() {
    write(directory, "other.meta", "\n[Library] ::= other\n");
    assertProblems("libraries:\n  b:\n    metadata: other.meta\n",
        "other.meta:2:1: error: this file describes library 'other', but flexc.yaml lists it as 'b' at flexc.yaml:2:3");
  }

  @Test
  void problemsOfEveryFileAreReportedTogether() {
    write(directory, "bad.meta", "[Requires] ::= Q\n");
    write(directory, "mech/bad.mech", "[Mechanism] ::= bad\n");
    assertProblems("libraries:\n  b: {metadata: bad.meta}\n  a: {metadata: a.meta}\nmechanisms: mech\n",
        "mech/bad.mech:1:1: error: missing section [Cost]: say its estimated overhead in percent",
        "bad.meta:1:16: error: unknown permission 'Q' in [Requires]; expected R, W or X");
  }

  @Test
  void buildTakesTheLibrariesAndLinkerFlagsTheProgramLinks() {
    Outcome<Application> outcome = load("""
        libraries:
          a: {metadata: a.meta}
          b: {metadata: b.meta}
        build: {libraries: [m, pthread], ldflags: [-rdynamic]}
        """);
    assertTrue(outcome.succeeded(), () -> formatted(outcome).toString());
    BuildSpec build = outcome.get().spec().build();
    assertEquals(List.of("m", "pthread"), build.libraries());
    assertEquals(List.of("-lm", "-lpthread", "-rdynamic"), build.linkWords());
    assertProblems("""
        libraries:
          a: {metadata: a.meta}
          b: {metadata: b.meta}
        build: {libraries: [-lm]}
        """,
        "flexc.yaml:4:20: error: libraries are names as in -lNAME (m, dl, pthread), not '-lm'");
  }

  @Test
  void buildSaysHowManyThreadsCanCrossCompartmentsAtOnce() {
    Outcome<Application> outcome = load("""
        libraries:
          a: {metadata: a.meta}
          b: {metadata: b.meta}
        build: {channels: 200}
        """);
    assertTrue(outcome.succeeded(), () -> formatted(outcome).toString());
    assertEquals(200, outcome.get().spec().build().channels());
    assertEquals(BuildSpec.DEFAULT_CHANNELS, load("""
        libraries:
          a: {metadata: a.meta}
          b: {metadata: b.meta}
        """).get().spec().build().channels());
    assertProblems("""
        libraries:
          a: {metadata: a.meta}
          b: {metadata: b.meta}
        build: {channels: 5000}
        """,
        "flexc.yaml:4:19: error: channels must be a whole number from 1 to 4096 (threads that can call across"
            + " compartments at once), not '5000'");
  }
}
