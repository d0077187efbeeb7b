package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.metadata.config.KraftImporter;
import io.flexc.model.Application;
import io.flexc.model.Diagnostic;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every diagnostic of the metadata language and of flexc.yaml, with its exact text and position. */
class DiagnosticsTest {

  @TempDir Path directory;

  private static List<String> library(String text) {
    return formatted(MetadataReader.parseLibrary("x.meta", text, "x"));
  }

  private static List<String> mechanism(String text) {
    return formatted(MetadataReader.parseMechanism("x.mech", text));
  }

  private static List<String> formatted(Outcome<?> outcome) {
    return outcome.diagnostics().stream().map(Diagnostic::format).toList();
  }

  @Test
  void unknownSection() {
    assertEquals(List.of("x.meta:1:1: error: unknown section [Bogus]; expected one of [Library], [Memory Access],"
        + " [Call], [API], [Requires], [Role], [Verified], [Language]"), library("[Bogus] ::= x\n"));
  }

  @Test
  void duplicateSection() {
    assertEquals(List.of("x.meta:2:1: error: duplicate section [Requires]; it was already given at 1:1"),
        library("[Requires] ::= R\n[Requires] ::= W\n"));
  }

  @Test
  void unknownPermission() {
    assertEquals(List.of("x.meta:1:19: error: unknown permission 'Q' in [Requires]; expected R, W or X"),
        library("[Requires] ::= R, Q\n"));
    assertEquals(List.of("x.meta:1:24: error: unknown permission 'Z' in [Memory Access]; expected R, W, RA, WA"
        + " or (own|shared|any, R|W|RW)"), library("[Memory Access] ::= R, Z\n"));
  }

  @Test
  void malformedCallTarget() {
    assertEquals(List.of("x.meta:1:30: error: malformed call target '::x'; expected LIBRARY::SYMBOL, LIBRARY::*,"
        + " X or XA"), library("[Call] ::= alloc::uk_malloc, ::x\n"));
  }

  @Test
  void duplicateApiSymbolAcrossAContinuedLine() {
    assertEquals(List.of("x.meta:2:3: error: duplicate API symbol 'f'; it was already declared at 1:11"),
        library("[API] ::= (f, SYMB) \\\n  (f, SYMB)\n"));
  }

  @Test
  void syntax() {
    assertEquals(List.of("x.meta:1:7: error: unexpected '::=': a section header must start its own line"),
        library("[Call ::= x\n"));
  }

  @Test
  void mechanismValuesAndMissingSections() {
    assertEquals(List.of("x.mech:2:12: error: [Cost] takes one whole number, e.g. 25"),
        mechanism("[Mechanism] ::= m\n[Cost] ::= many\n"));
    assertEquals(List.of("x.mech:1:1: error: missing section [Mechanism]: every mechanism needs a name"),
        mechanism("[Cost] ::= 3\n"));
    assertEquals(List.of(
            "x.mech:1:1: error: missing section [Cost]: say its estimated overhead in percent",
            "x.mech:2:14: error: an effect restricts a behaviour to its harmless form: RA -> R, WA -> W or XA -> X;"
                + " found 'QA -> Q'"),
        mechanism("[Mechanism] ::= m\n[Effect] ::= QA -> Q\n"));
  }

  @Test
  void bothNotationsMeanTheSame() {
    LibraryMetadata seed = MetadataReader.parseLibrary("seed.meta", """
        [Memory Access] ::= RA, WA
        [Call] ::= XA   // unchecked function pointers
        [Requires] ::= R, W, X
        """, "lwip").get().value();
    LibraryMetadata flexos = MetadataReader.parseLibrary("Properties.def", """
        Memory Access::=RA,WA
        Call::=XA
        Requires::=R,W,X
        """, "lwip").get().value();
    assertEquals(seed, flexos);
    assertEquals(LibraryMetadata.unverifiedC("lwip"), flexos);
  }

  @Test
  void applicationDiagnostics() throws IOException {
    Files.writeString(directory.resolve("a.meta"), "[Call] ::= ghost::f, b::g\n");
    Files.writeString(directory.resolve("b.meta"), "[API] ::= (h, SYMB)\n");
    Files.writeString(directory.resolve("flexc.yaml"), """
        name: t
        backend: mpk
        libraries:
          a:
            metadata: a.meta
          b:
            metadata: b.meta
        hardening: [asan, nope]
        constraints:
          isolate: [zz]
        """);
    String yaml = directory.resolve("flexc.yaml").toString();
    String a = directory.resolve("a.meta").toString();
    assertEquals(List.of(
            a + ":1:12: error: [Call] names library 'ghost', which is not part of application 't' (libraries: a, b)",
            a + ":1:22: warning: [Call] names b::g, but the [API] of 'b' does not export 'g'",
            yaml + ":10:13: error: unknown library 'zz'; the application has a, b",
            yaml + ":8:19: error: unknown hardening mechanism 'nope'; known: asan, cfi, sp, ubsan"),
        formatted(ApplicationLoader.load(directory)));
  }

  @Test
  void configurationKeysAndFiles() throws IOException {
    Files.writeString(directory.resolve("flexc.yaml"), """
        name: t
        libraries:
          c:
            metadata: missing.meta
        colour: red
        """);
    String yaml = directory.resolve("flexc.yaml").toString();
    List<String> diagnostics = formatted(ApplicationLoader.load(directory));
    assertEquals(yaml + ":5:1: error: unknown key 'colour' in flexc.yaml; expected one of name, backend, libraries,"
        + " hardening, constraints, mechanisms", diagnostics.get(0));
    Files.writeString(directory.resolve("flexc.yaml"), "name: t\nlibraries:\n  c:\n    metadata: missing.meta\n");
    assertEquals(List.of(yaml + ":4:15: error: metadata of library 'c' (missing.meta) does not exist: "
        + directory.resolve("missing.meta")), formatted(ApplicationLoader.load(directory)));
    Files.writeString(directory.resolve("flexc.yaml"), "name: t\nbackend: sgx\nlibraries: {}\n");
    assertTrue(formatted(ApplicationLoader.load(directory)).get(0).startsWith(yaml + ":2:10: error: "),
        formatted(ApplicationLoader.load(directory)).toString());
  }

  @Test
  void warningsAboutMechanismsAndKraftYaml() throws IOException {
    Files.writeString(directory.resolve("b.meta"), "[API] ::= (h, SYMB)\n");
    Files.createDirectories(directory.resolve("mech"));
    Files.writeString(directory.resolve("mech/asan.mech"), "[Mechanism] ::= asan\n[Cost] ::= 5\n");
    Files.writeString(directory.resolve("flexc.yaml"),
        "name: t\nlibraries:\n  b:\n    metadata: b.meta\nhardening: [cfi]\nmechanisms: mech\n");
    Files.writeString(directory.resolve("kraft.yaml"), """
        compartments:
          - name: comp1
            mechanism:
              driver: intel-pku
            default: true
          - name: comp2
            mechanism:
              driver: intel-pku
        libraries:
          b:
            compartment: comp1
          zz:
            compartment: comp1
        """);
    Outcome<Application> application = ApplicationLoader.load(directory);
    String mech = directory.resolve("mech/asan.mech").toString();
    String yaml = directory.resolve("flexc.yaml").toString();
    assertEquals(List.of(
            mech + ":1:1: warning: mechanism 'asan' replaces the one defined by flexc:mechanisms/asan.mech",
            yaml + ":5:13: warning: cfi needs sp for its effect, but hardening does not allow sp; the solver will"
                + " not apply it"),
        formatted(application));
    String kraft = directory.resolve("kraft.yaml").toString();
    assertEquals(List.of(
            kraft + ":12:3: warning: kraft.yaml places library 'zz', which application 't' does not have; it is ignored",
            kraft + ":6:5: warning: compartment 'comp2' is declared but no library uses it; it is dropped"),
        formatted(KraftImporter.readFor(directory.resolve("kraft.yaml"), application.get())));
  }
}
