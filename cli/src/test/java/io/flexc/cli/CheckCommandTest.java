package io.flexc.cli;

import static io.flexc.cli.FlexcRun.EXAMPLE;
import static io.flexc.cli.FlexcRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flexc check} and the top-level options, as a user runs them. */
class CheckCommandTest {

  private static final String USAGE = "Usage: flexc [-hV] [COMMAND]";

  @TempDir Path directory;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(directory.resolve(name), text);
  }

  private static void assertExit(int expected, FlexcRun run) {
    assertEquals(expected, run.exit(), "out:\n" + run.out() + "err:\n" + run.err());
  }

  @Test
  void theExampleIsValidAndPrintedAsATable() {
    FlexcRun run = run("check", EXAMPLE);
    assertExit(0, run);
    assertEquals("""
        seed-scheduler: 4 libraries, backend mpk, hardening allowed: asan, cfi, sp
        LIBRARY   MEMORY  CALL                              REQUIRES  API  ROLE       VERIFIED  BEHAVIOURS
        sched     R, W    alloc::uk_malloc, alloc::uk_free  R         3    scheduler  Dafny     -
        app       RA, WA  XA                                R, W, X   1    app        no        RA, WA, XA
        alloc     RA, WA  XA                                R, W, X   2    allocator  no        RA, WA, XA
        netstack  RA, WA  XA                                R, W, X   3    netstack   no        RA, WA, XA
        constraint isolate: netstack
        kraft.yaml seed-scheduler: 3 compartments (comp1, comp2, comp3), backend mpk
        LIBRARY   COMPARTMENT  HARDENING
        sched     comp1        -
        app       comp2        -
        alloc     comp2        -
        netstack  comp3        -
        """, run.out());
    assertEquals("", run.err());
  }

  @Test
  void singleFilesOfEveryKind() throws IOException {
    Path mechanism = file("pac.mech", "[Mechanism] ::= pac\n[Effect] ::= XA -> X\n[Needs] ::= sp\n[Cost] ::= 2\n"
        + "[Safety] ::= 1\n[Flags] ::= -mbranch-protection=pac-ret\n");
    FlexcRun run = run("check", mechanism.toString(), Path.of(EXAMPLE, "meta", "netstack", "Properties.def").toString());
    assertExit(0, run);
    assertEquals("""
        MECHANISM  EFFECT   NEEDS  COST  SAFETY  FLAGS
        pac        XA -> X  sp     2%    1       -mbranch-protection=pac-ret
        LIBRARY   MEMORY  CALL  REQUIRES  API  ROLE      VERIFIED  BEHAVIOURS
        netstack  RA, WA  XA    R, W, X   3    netstack  no        RA, WA, XA
        """, run.out());
  }

  @Test
  void aKraftYamlAlone() {
    FlexcRun run = run("check", Path.of(EXAMPLE, "kraft.yaml").toString());
    assertExit(0, run);
    assertTrue(run.out().startsWith("kraft.yaml seed-scheduler: 3 compartments (comp1, comp2, comp3), backend mpk\n"),
        run.out());
  }

  @Test
  void aBadMetadataFileExitsOneAndPrintsEveryDiagnostic() throws IOException {
    Path bad = file("bad.meta", "[Requires] ::= Q\n[Call] ::= ::x\n[Bogus] ::= 1\n");
    FlexcRun run = run("check", bad.toString());
    assertExit(Flexc.EXIT_INVALID_INPUT, run);
    assertEquals(bad + ":1:16: error: unknown permission 'Q' in [Requires]; expected R, W or X\n"
        + bad + ":2:12: error: malformed call target '::x'; expected LIBRARY::SYMBOL, LIBRARY::*, X or XA\n"
        + bad + ":3:1: error: unknown section [Bogus]; expected one of [Library], [Memory Access], [Call], [API],"
        + " [Requires], [Role], [Verified], [Language]\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void everyPathIsCheckedEvenAfterAnInvalidOne() throws IOException {
    Path bad = file("bad.mech", "[Mechanism] ::= bad\n");
    Path good = file("good.meta", "[Requires] ::= R\n");
    FlexcRun run = run("check", bad.toString(), good.toString());
    assertExit(Flexc.EXIT_INVALID_INPUT, run);
    assertEquals(bad + ":1:1: error: missing section [Cost]: say its estimated overhead in percent\n", run.err());
    assertEquals("""
        LIBRARY  MEMORY  CALL  REQUIRES  API  ROLE  VERIFIED  BEHAVIOURS
        good     RA, WA  XA    R         0    -     no        RA, WA, XA
        """, run.out());
  }

  @Test
  void anInvalidApplicationExitsOne() throws IOException {
    file("flexc.yaml", "libraries:\n  a:\n    metadata: a.meta\n");
    FlexcRun run = run("check", directory.toString());
    assertExit(Flexc.EXIT_INVALID_INPUT, run);
    assertEquals(directory.resolve("flexc.yaml") + ":3:15: error: metadata of library 'a' (a.meta) does not exist: "
        + directory.resolve("a.meta") + "\n", run.err());
  }

  @Test
  void aDirectoryWithoutFlexcYamlIsAUsageError() {
    FlexcRun run = run("check", directory.toString());
    assertExit(Flexc.EXIT_USAGE, run);
    assertEquals(directory + " is not an application directory: it has no flexc.yaml\n"
        + "Try 'flexc check --help' for more information.\n", run.err());
  }

  @Test
  void aMissingPathIsAUsageError() {
    FlexcRun run = run("check", directory.resolve("nowhere").toString());
    assertExit(Flexc.EXIT_USAGE, run);
    assertTrue(run.err().startsWith("No such file or directory: " + directory.resolve("nowhere") + "\n"), run.err());
    assertExit(Flexc.EXIT_USAGE, run("check"));
  }

  @Test
  void version() {
    FlexcRun run = run("--version");
    assertExit(0, run);
    String firstLine = run.out().lines().findFirst().orElseThrow();
    assertTrue(firstLine.matches("flexc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), firstLine);
    assertTrue(run.out().contains("\nJava " + Runtime.version()), run.out());
  }

  @Test
  void help() {
    FlexcRun run = run("--help");
    assertExit(0, run);
    assertTrue(run.out().startsWith(USAGE + "\n"), run.out());
    assertTrue(run.out().contains("\n  check      Validate applications and metadata files and show what they say.\n"),
        run.out());
    FlexcRun check = run("check", "--help");
    assertExit(0, check);
    assertTrue(check.out().startsWith("Usage: flexc check [-hV] PATH...\n"), check.out());
  }

  @Test
  void everyHelpIsFormattedWholeParagraphs() {
    for (String command : List.of("check", "solve", "explain", "explore", "analyze", "transform", "build", "run")) {
      FlexcRun help = run(command, "--help");
      assertExit(0, help);
      assertFalse(help.out().contains("%%") || help.out().contains("%n"),
          "a format string shown raw (picocli could not format it):\n" + help.out());
    }
    assertTrue(run("explore", "--help").out().contains("50%"));
    assertTrue(run("--help").out().contains("\n  build      Build an application split into compartments.\n"));
  }

  @Test
  void aCommandIsRequired() {
    FlexcRun run = run();
    assertExit(Flexc.EXIT_USAGE, run);
    assertEquals("Missing a command\nTry 'flexc --help' for more information.\n", run.err());
  }
}
