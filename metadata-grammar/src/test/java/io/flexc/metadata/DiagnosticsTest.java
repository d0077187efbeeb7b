package io.flexc.metadata;

import static io.flexc.metadata.TestSupport.formatted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.InputFiles;
import io.flexc.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every diagnostic of the metadata language, in library files ({@code x.meta}) and mechanism files
 * ({@code x.mech}), with its exact text and position. flexc.yaml and kraft.yaml have their own tests
 * in {@code io.flexc.metadata.config}.
 */
class DiagnosticsTest {

  private static final String MEMORY_EXPECTED = "expected R, W, RA, WA or (own|shared|any, R|W|RW)";
  private static final String CALL_EXPECTED = "expected LIBRARY::SYMBOL, LIBRARY::*, X or XA";
  private static final String API_SHAPE = "an API entry is (SYMBOL, SYMB) or (SYMBOL, SYMB, \"C prototype\"),"
      + " optionally ending in (on-crash, INTEGER)";

  @TempDir Path directory;

  /** Parses {@code text} as x.meta and checks it fails with exactly {@code expected}. */
  private static void assertLibrary(String text, String... expected) {
    assertFails(MetadataReader.parseLibrary("x.meta", text, "x"), expected);
  }

  private static void assertMechanism(String text, String... expected) {
    assertFails(MetadataReader.parseMechanism("x.mech", text), expected);
  }

  private static void assertFails(Outcome<?> outcome, String... expected) {
    assertEquals(List.of(expected), formatted(outcome));
    assertFalse(outcome.succeeded(), "errors leave no value");
  }

  @Test
  void syntaxErrorsPointAtTheOffendingToken() {
    assertLibrary("[Call ::= x\n", "x.meta:1:7: error: unexpected '::=': a section header must start its own line");
    assertLibrary("[Requires] ::= R ]\n", "x.meta:1:18: error: unexpected ']'; expected end of file or end of line");
    assertLibrary("[API] ::= (f, SYMB\n", "x.meta:1:19: error: unexpected end of line; expected ')' or ','");
    assertLibrary("Requires R\n", "x.meta:1:11: error: missing '::=' before end of line");
  }

  @Test
  void everySyntaxErrorOfAFileIsReported() {
    assertLibrary("[Requires] ::= R\n  @ \n[Call] ::= X ]\n",
        "x.meta:2:3: error: unexpected character '@'",
        "x.meta:3:14: error: unexpected ']'; expected end of file or end of line");
  }

  @Test
  void unknownSection() {
    assertLibrary("[Requires] ::= R\n[Bogus] ::= x\n", "x.meta:2:1: error: unknown section [Bogus]; expected one of"
        + " [Library], [Memory Access], [Call], [API], [Requires], [Role], [Verified], [Language]");
    assertMechanism("[Mechanism] ::= m\n[Cost] ::= 1\n  [Speed] ::= 3\n", "x.mech:3:3: error: unknown section [Speed];"
        + " expected one of [Mechanism], [Description], [Effect], [Needs], [Cost], [Safety], [Flags], [Link Flags]");
  }

  @Test
  void duplicateSectionWhateverItsSpelling() {
    assertLibrary("[Requires] ::= R\n[Requires] ::= W\n",
        "x.meta:2:1: error: duplicate section [Requires]; it was already given at 1:1");
    assertLibrary("\n[Memory Access] ::= R\nmemory  ACCESS::=W\n",
        "x.meta:3:1: error: duplicate section [Memory Access]; it was already given at 2:1");
  }

  @Test
  void missingSection() {
    assertMechanism("[Cost] ::= 3\n", "x.mech:1:1: error: missing section [Mechanism]: every mechanism needs a name");
    assertMechanism("[Mechanism] ::= m\n", "x.mech:1:1: error: missing section [Cost]: say its estimated overhead in percent");
    assertFails(MetadataReader.parseLibrary("3bad.meta", "[Requires] ::= R\n", "3bad"),
        "3bad.meta:1:1: error: missing section [Library]: '3bad', taken from the file name, is not a valid library name");
  }

  @Test
  void unknownPermission() {
    assertLibrary("[Requires] ::= R, Q, (R)\n",
        "x.meta:1:19: error: unknown permission 'Q' in [Requires]; expected R, W or X",
        "x.meta:1:22: error: unknown permission '(R)' in [Requires]; expected R, W or X");
    assertLibrary("[Memory Access] ::= R, Z, (mine, R), (own, Q)\n",
        "x.meta:1:24: error: unknown permission 'Z' in [Memory Access]; " + MEMORY_EXPECTED,
        "x.meta:1:27: error: unknown permission '(mine, R)' in [Memory Access]; " + MEMORY_EXPECTED,
        "x.meta:1:38: error: unknown permission '(own, Q)' in [Memory Access]; " + MEMORY_EXPECTED);
  }

  @Test
  void malformedCallTarget() {
    assertLibrary("[Call] ::= alloc::uk_malloc, ::x, alloc::, Y*\n",
        "x.meta:1:30: error: malformed call target '::x'; " + CALL_EXPECTED,
        "x.meta:1:35: error: malformed call target 'alloc::'; " + CALL_EXPECTED,
        "x.meta:1:44: error: malformed call target 'Y*'; " + CALL_EXPECTED);
  }

  @Test
  void duplicateApiSymbolAcrossAContinuedLine() {
    assertLibrary("[API] ::= (f, SYMB) \\\n  (f, SYMB, \"void f(void)\")\n",
        "x.meta:2:3: error: duplicate API symbol 'f'; it was already declared at 1:11");
  }

  @Test
  void malformedLibraryValues() {
    assertLibrary("[API] ::= (f, SYMB) (g) (h, SYMB, 3) (i, FUNC)\n",
        "x.meta:1:21: error: " + API_SHAPE,
        "x.meta:1:25: error: " + API_SHAPE,
        "x.meta:1:38: error: " + API_SHAPE);
    assertLibrary("[API] ::= (f, SYMB, (on-crash, x)) (g, SYMB, (crash, 1)) (h, SYMB, (on-crash, 1), \"int h(void)\")\n",
        "x.meta:1:11: error: " + API_SHAPE,
        "x.meta:1:36: error: " + API_SHAPE,
        "x.meta:1:58: error: " + API_SHAPE);
    assertLibrary("[Library] ::= 3\n[Role] ::= a b\n[Verified] ::=\n",
        "x.meta:1:15: error: [Library] takes one value, the library's name; found '3'",
        "x.meta:2:14: error: [Role] takes one value, a role such as scheduler; found 2 values",
        "x.meta:3:1: error: [Verified] takes one value, the tool or method that verified it, e.g. Dafny; found nothing");
    assertLibrary("[Role] ::= alocator\n",
        "x.meta:1:12: error: unknown role 'alocator' in [Role]; known: scheduler, allocator, app, netstack");
    assertLibrary("[Language] ::= (Rust)\n", "x.meta:1:16: error: [Language] takes one value, a language, e.g. Rust;"
        + " found '(Rust)'");
  }

  @Test
  void malformedMechanismValues() {
    assertMechanism("[Mechanism] ::= a b\n[Cost] ::= 1\n", "x.mech:1:17: error: [Mechanism] takes one name, e.g. asan");
    assertMechanism("[Mechanism] ::= m\n[Cost] ::= 1.5\n[Safety] ::= 1 2\n",
        "x.mech:2:12: error: [Cost] takes one whole number, e.g. 25",
        "x.mech:3:14: error: [Safety] takes one whole number, e.g. 25");
    assertMechanism("[Mechanism] ::= m\n[Cost] ::= 1\n[Effect] ::= WA -> W, QA -> Q, RA -> W\n",
        "x.mech:3:23: error: an effect restricts a behaviour to its harmless form: RA -> R, WA -> W or XA -> X;"
            + " found 'QA -> Q'",
        "x.mech:3:32: error: an effect restricts a behaviour to its harmless form: RA -> R, WA -> W or XA -> X;"
            + " found 'RA -> W'");
    assertMechanism("[Mechanism] ::= m\n[Cost] ::= 1\n[Needs] ::= m, \"q\"\n",
        "x.mech:3:1: error: a mechanism cannot need itself",
        "x.mech:3:16: error: [Needs] lists mechanism names; found '\"q\"'");
    assertMechanism("[Mechanism] ::= m\n[Cost] ::= 1\n[Link Flags] ::= -lasan, lasan\n",
        "x.mech:3:26: error: [Link Flags] lists compiler flags such as -fsanitize=address (quote a flag that holds"
            + " a comma); found 'lasan'");
  }

  @Test
  void unreadableFilesAreIoErrors() throws Exception {
    Path missing = directory.resolve("missing.meta");
    assertFails(MetadataReader.readLibrary(missing), missing + ":1:1: error: cannot read " + missing + ": no such file");
    Path folder = Files.createDirectory(directory.resolve("folder.mech"));
    assertFails(MetadataReader.readMechanism(folder), folder + ":1:1: error: cannot read " + folder
        + ": not a regular file");
  }

  @Test
  void specialAndHugeFilesAreRefusedBeforeReading() throws Exception {
    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      assertFails(MetadataReader.readLibrary(zero), "/dev/zero:1:1: error: cannot read /dev/zero: not a regular file");
    }
    Path fifo = directory.resolve("fifo.meta");
    if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
      // Opening a FIFO nobody writes to would block forever: the file must not even be opened.
      assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
          assertFails(MetadataReader.readLibrary(fifo), fifo + ":1:1: error: cannot read " + fifo + ": not a regular file"));
    }
    Path huge = directory.resolve("huge.meta");
    Files.write(huge, new byte[InputFiles.MAX_BYTES + 1]);
    assertFails(MetadataReader.readLibrary(huge),
        huge + ":1:1: error: cannot read " + huge + ": larger than 4 MiB, the limit for input files");
    Path largest = directory.resolve("largest.meta");
    Files.writeString(largest, "#".repeat(InputFiles.MAX_BYTES));
    assertTrue(MetadataReader.readLibrary(largest).succeeded(), "a file of exactly the limit is read");
  }

  @Test
  void controlCharactersInNamesAreEscaped() {
    assertFails(MetadataReader.parseLibrary("a\nb.meta:1:1: error: fake\u2028.meta", "[Requires] ::= Q\n", "x"),
        "a\\nb.meta:1:1: error: fake\\u2028.meta:1:16: error: unknown permission 'Q' in [Requires]; expected R, W or X");
    assertFails(MetadataReader.parseLibrary("x.meta", "[Library] ::= \"a\u0007\u009b\u202e\"\n", "x"),
        "x.meta:1:15: error: [Library] takes one value, the library's name; found '\"a\\u0007\\u009b\\u202e\"'");
  }
}
