package io.flexc.metadata.config;

import static io.flexc.metadata.TestSupport.formatted;
import static io.flexc.metadata.TestSupport.formattedRelativeTo;
import static io.flexc.metadata.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Application;
import io.flexc.model.Configuration;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FlexOS's kraft.yaml as a fixed configuration: compartments, their driver, the default one, and
 * where each library goes. Expected diagnostics name the file {@code kraft.yaml} relative to the
 * temporary directory.
 */
class KraftImporterTest {

  /** Two compartments on one driver, the first the default, as FlexOS writes them. */
  private static final String TWO_COMPARTMENTS = """
      compartments:
        - name: comp1
          mechanism:
            driver: intel-pku
          default: true
        - name: comp2
          mechanism:
            driver: intel-pku
      """;

  @TempDir Path directory;

  private Outcome<ImportedConfiguration> read(String kraftYaml) {
    return KraftImporter.read(write(directory, "kraft.yaml", kraftYaml), TestBackends.CATALOG);
  }

  private Outcome<ImportedConfiguration> readFor(String kraftYaml, Application application) {
    return KraftImporter.readFor(write(directory, "kraft.yaml", kraftYaml), application, TestBackends.CATALOG);
  }

  private List<String> relative(Outcome<?> outcome) {
    return formattedRelativeTo(directory, outcome);
  }

  private void assertProblems(String kraftYaml, String... expected) {
    Outcome<ImportedConfiguration> outcome = read(kraftYaml);
    assertEquals(List.of(expected), relative(outcome));
    assertTrue(outcome.value().isEmpty());
  }

  /** An application with libraries a and b, b exporting g. */
  private Application application() {
    write(directory, "app/a.meta", "[Call] ::= b::g\n");
    write(directory, "app/b.meta", "[API] ::= (g, SYMB)\n");
    write(directory, "app/flexc.yaml", "name: t\nlibraries:\n  a: {metadata: a.meta}\n  b: {metadata: b.meta}\n");
    return ApplicationLoader.load(directory.resolve("app"), TestBackends.CATALOG).get();
  }

  @Test
  void placesLibrariesAsTheKraftYamlSays() {
    Outcome<ImportedConfiguration> outcome = read("""
        specification: '0.6'
        name: demo
        unikraft:
          version: '0.5'
        compartments:
          - name: comp1
            mechanism:
              driver: intel-pku
              noisolstack: false
            default: true
          - name: comp2
            mechanism:
              driver: intel-pku
        libraries:
          sched:
            compartment: comp1
          lwip:
            compartment: comp2
            hardening: [asan, cfi]
          app:
        """);
    assertEquals(List.of(), outcome.diagnostics());
    assertEquals(new ImportedConfiguration("demo", TestBackends.MPK, List.of("comp1", "comp2"),
            new Configuration(Map.of("sched", 0, "lwip", 1, "app", 0), Map.of("lwip", Set.of("asan", "cfi")))),
        outcome.get());
    assertEquals(List.of("sched", "lwip", "app"), List.copyOf(outcome.get().configuration().compartmentOf().keySet()));
  }

  @ParameterizedTest
  @CsvSource({"intel-pku, mpk", "vmept, ept", "fcalls, fcall"})
  void eachDriverNamesABackend(String driver, String label) {
    Outcome<ImportedConfiguration> outcome = read("compartments:\n  - name: only\n    mechanism: {driver: " + driver
        + "}\n    default: yes\nlibraries:\n  a: {compartment: only}\n");
    assertEquals(TestBackends.CATALOG.byLabel(label), Optional.of(outcome.get().backend()));
    assertEquals("kraft", outcome.get().name(), "the default name");
  }

  @Test
  void theApplicationsOtherLibrariesGoToTheDefaultCompartment() {
    Outcome<ImportedConfiguration> outcome = readFor(TWO_COMPARTMENTS + "libraries:\n  b:\n    compartment: comp2\n",
        application());
    assertEquals(List.of(), outcome.diagnostics());
    assertEquals(Map.of("b", 1, "a", 0), outcome.get().configuration().compartmentOf());
  }

  @Test
  void unusedCompartmentsAreDroppedAndNumberingStaysDense() {
    Outcome<ImportedConfiguration> outcome = read(TWO_COMPARTMENTS + "libraries:\n  a:\n    compartment: comp2\n");
    assertEquals(List.of("kraft.yaml:2:5: warning: compartment 'comp1' is declared but no library uses it; it is dropped"),
        relative(outcome));
    assertEquals(List.of("comp2"), outcome.get().compartmentNames());
    assertEquals(Map.of("a", 0), outcome.get().configuration().compartmentOf());
  }

  @Test
  void librariesTheApplicationLacksAreIgnored() {
    Outcome<ImportedConfiguration> outcome = readFor(TWO_COMPARTMENTS + """
        libraries:
          a: {compartment: comp1}
          b: {compartment: comp2}
          zz: {compartment: comp2}
        """, application());
    assertEquals(List.of("kraft.yaml:12:3: warning: kraft.yaml places library 'zz', which application 't' does not"
        + " have; it is ignored"), relative(outcome));
    assertEquals(Map.of("a", 0, "b", 1), outcome.get().configuration().compartmentOf());
  }

  @Test
  void hardeningMustNameTheApplicationsMechanisms() {
    Outcome<ImportedConfiguration> outcome = readFor(TWO_COMPARTMENTS + """
        libraries:
          a:
            compartment: comp2
            hardening: [asan, magic]
        """, application());
    assertEquals(List.of("kraft.yaml:12:23: error: unknown hardening mechanism 'magic'; known: asan, cfi, sp, ubsan"),
        relative(outcome));
  }

  @Test
  void unknownCompartment() {
    assertProblems(TWO_COMPARTMENTS + "libraries:\n  a:\n    compartment: comp9\n  b:\n    compartment: comp2\n",
        "kraft.yaml:11:18: error: no compartment named 'comp9' is declared");
  }

  @Test
  void unknownDriver() {
    assertProblems("compartments:\n  - name: c1\n    mechanism:\n      driver: sgx\n    default: true\n",
        "kraft.yaml:4:15: error: unknown driver 'sgx'; expected fcalls, intel-pku or vmept",
        "kraft.yaml:2:3: error: declare at least one compartment");
  }

  @Test
  void everyCompartmentUsesTheSameDriver() {
    assertProblems("""
            compartments:
              - name: c1
                mechanism: {driver: vmept}
                default: true
              - name: c2
                mechanism: {driver: intel-pku}
            libraries:
              a: {compartment: c1}
              b: {compartment: c2}
            """,
        "kraft.yaml:5:5: error: compartment 'c2' uses mpk but 'c1' uses ept; every compartment must use the same"
            + " mechanism");
  }

  @Test
  void exactlyOneDefaultCompartment() {
    assertProblems("compartments:\n  - name: c1\n    mechanism: {driver: fcalls}\nlibraries:\n  a: {}\n",
        "kraft.yaml:2:3: error: exactly one compartment must be marked default: true");
    assertProblems("compartments:\n  - {name: c1, mechanism: {driver: fcalls}, default: true}\n"
            + "  - {name: c2, mechanism: {driver: fcalls}, default: on}\n",
        "kraft.yaml:2:3: error: only one compartment may be default, but 2 are");
    assertProblems("compartments:\n  - {name: c1, mechanism: {driver: fcalls}, default: maybe}\n",
        "kraft.yaml:2:54: error: default must be true or false",
        "kraft.yaml:2:3: error: exactly one compartment must be marked default: true");
  }

  @Test
  void malformedCompartments() {
    assertProblems("""
            compartments:
              - {name: c1, mechanism: {driver: fcalls}, default: true}
              - {name: c1, mechanism: {driver: fcalls}}
              - {mechanism: {}}
              - {name: c3}
            """,
        "kraft.yaml:3:5: error: compartment 'c1' is declared twice",
        "kraft.yaml:4:17: error: missing key 'driver' in a compartment's mechanism",
        "kraft.yaml:4:5: error: missing key 'name' in a compartment",
        "kraft.yaml:5:5: error: missing key 'mechanism' in a compartment",
        "kraft.yaml:1:1: error: kraft.yaml places no library");
  }

  @Test
  void missingCompartments() {
    assertProblems("name: k\nlibraries:\n  a: {compartment: c1}\n", "kraft.yaml:1:1: error: missing key 'compartments' in kraft.yaml");
    assertProblems("compartments: []\n", "kraft.yaml:1:15: error: declare at least one compartment");
  }

  @Test
  void aMissingFileIsAnIoError() {
    Path missing = directory.resolve("kraft.yaml");
    assertEquals(List.of(missing + ":1:1: error: cannot read " + missing + ": no such file"),
        formatted(KraftImporter.read(missing, TestBackends.CATALOG)));
  }
}
