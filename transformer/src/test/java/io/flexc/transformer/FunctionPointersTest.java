package io.flexc.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.Outcome;
import io.flexc.model.SharedData.Placement;
import io.flexc.transformer.objects.ElfObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pointers} sample (test resources): function addresses taken in a static table, through
 * a macro and as a return value go to entry gates; gates named only in #if branches that are not
 * compiled are pruned.
 */
class FunctionPointersTest {

  private static final Map<String, Integer> SPLIT = Map.of("app", 0, "a", 1, "b", 2);

  @TempDir Path temporary;
  private Path application;

  @BeforeEach
  void copySample() throws IOException, URISyntaxException {
    Path sample = Path.of(FunctionPointersTest.class.getResource("/pointers/flexc.yaml").toURI()).getParent();
    application = temporary.resolve("pointers");
    try (Stream<Path> walk = Files.walk(sample)) {
      for (Path path : walk.toList()) {
        Path target = application.resolve(sample.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private TransformReport transform(Map<String, Integer> split) throws IOException, InterruptedException {
    Outcome<Application> loaded = ApplicationLoader.load(application, TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), () -> loaded.diagnostics().toString());
    Path output = Files.createDirectories(temporary.resolve("out"));
    return Transformer.transform(loaded.get(), split, new Transformer.Options(Placement.DSS, true, 2), output);
  }

  private static List<String> sites(TransformReport report) {
    return report.addressSites().stream()
        .map(s -> s.file().getFileName() + ":" + s.line() + " " + s.referrer() + " takes " + s.function() + " ("
            + s.kind() + ", " + s.count() + ") -> " + s.entry().orElse(s.note()))
        .toList();
  }

  @Test
  void everyAddressTakenFunctionOfAnExposedCompartmentGoesToItsEntryGate() throws Exception {
    TransformReport report = transform(SPLIT);
    assertEquals(List.of(
            "main.c:27 main takes on_event (MACRO_ARGUMENT, 1) -> flexc_entry_flexc_static_app_main_on_event",
            "main.c:38 main takes on_timer (STRUCT_FIELD, 1) -> flexc_entry_flexc_static_app_main_on_timer",
            "a.c:16 a_commands takes a_double (DATA, 1) -> flexc_entry_flexc_static_a_a_a_double",
            "a.c:17 a_commands takes a_square (DATA, 1) -> flexc_entry_a_square",
            "b.c:22 b_pick takes b_half (RETURN_VALUE, 1) -> flexc_entry_flexc_static_b_b_b_half"),
        sites(report));
    List<String> entries = report.gates().stream().filter(Gate::isEntry)
        .map(g -> g.name() + " " + g.callerCompartment() + "->" + g.calleeCompartment() + " " + g.function()).toList();
    assertEquals(List.of(
            "flexc_entry_a_square -1->1 a_square",
            "flexc_entry_flexc_static_a_a_a_double -1->1 flexc_static_a_a_a_double",
            "flexc_entry_flexc_static_app_main_on_event -1->0 flexc_static_app_main_on_event",
            "flexc_entry_flexc_static_app_main_on_timer -1->0 flexc_static_app_main_on_timer",
            "flexc_entry_flexc_static_b_b_b_half -1->2 flexc_static_b_b_b_half"),
        entries);
    // The object takes the address through the entry gate and calls a_square directly.
    ElfObject a = ElfObject.read(temporary.resolve("out/objects/a/a.c.o"));
    List<String> references = a.relocations().stream()
        .filter(r -> r.symbol().name().contains("a_square") && !r.symbol().isDefined())
        .map(r -> r.symbol().name() + (r.isCall() ? " call" : " address")).toList();
    assertEquals(List.of("flexc_entry_a_square address"), references);
    assertTrue(a.relocations().stream().anyMatch(r -> r.isCall() && r.symbol().name().equals("a_square")),
        "a_apply_direct calls a_square directly");
    assertTrue(a.symbols().stream().anyMatch(s -> s.name().equals("flexc_static_a_a_a_double") && s.global()
        && s.isDefined()), "a_double gets a global alias for its entry gate");
  }

  @Test
  void aGateNamedOnlyInAnIfBranchNotCompiledIsPruned() throws Exception {
    TransformReport report = transform(SPLIT);
    assertEquals(List.of("flexc_gate_c0_b_windows_only"),
        report.prunedGates().stream().map(p -> p.gate().name()).toList());
    TransformReport.PrunedGate pruned = report.prunedGates().get(0);
    assertEquals("no compiled object references it: its uses are in code the compiler did not compile"
        + " (an #if branch not taken)", pruned.reason());
    assertEquals(List.of(32), pruned.sites().stream().map(GateSite::line).toList());
    assertTrue(report.gates().stream().noneMatch(g -> g.function().equals("b_windows_only")));
    // #if 0 is not even scanned: b_run's gate comes from the calls that are compiled.
    assertTrue(report.gates().stream().anyMatch(g -> g.name().equals("flexc_gate_c0_b_run")));
  }

  @Test
  void inOneCompartmentNoAddressIsRouted() throws Exception {
    TransformReport report = transform(Map.of("app", 0, "a", 0, "b", 0));
    assertTrue(report.gates().isEmpty(), report.gates().toString());
    assertTrue(report.addressSites().stream().allMatch(s -> s.entry().isEmpty() && s.note().equals("one compartment")));
    assertEquals(5, report.addressSites().size());
  }

  @Test
  void withoutEntryGatesTheAddressesAreReportedNotRouted() throws Exception {
    Outcome<Application> loaded = ApplicationLoader.load(application, TestBackends.CATALOG);
    Path output = Files.createDirectories(temporary.resolve("out"));
    TransformReport report = Transformer.transform(loaded.get(), SPLIT,
        new Transformer.Options(Placement.DSS, true, 2).withoutEntryGates(), output);
    assertTrue(report.gates().stream().noneMatch(Gate::isEntry), report.gates().toString());
    assertEquals(5, report.addressSites().size());
    assertTrue(report.addressSites().stream().allMatch(s -> s.entry().isEmpty()
        && s.note().equals("the backend has no entry gates (ept: its compartments are separate images): the address"
            + " is the function's own")));
  }
}
