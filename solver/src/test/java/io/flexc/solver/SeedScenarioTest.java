package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.CallGraph;
import io.flexc.model.Configuration;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's scenario (examples/seed-scheduler) comes out as the brief says, on every backend. */
class SeedScenarioTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "seed-scheduler");
  private static final List<String> ALL_HARDENING = List.of("asan", "cfi", "sp");
  private static final Set<String> FULL = Set.of("asan", "cfi", "sp");

  private static PlacementProblem problem(Backend backend, List<String> hardening) {
    Outcome<Application> loaded = ApplicationLoader.load(EXAMPLE, TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), loaded.diagnostics().toString());
    Application application = loaded.get();
    return PlacementProblem.of(application, backend, hardening, CallGraph.declared(application),
        Optional.empty(), GateCosts.defaults(), List.of());
  }

  private static SolveResult solve(Backend backend, List<String> hardening) {
    return ConfigurationSolver.solve(problem(backend, hardening), SolveOptions.fewestCompartments(Duration.ofSeconds(30)));
  }

  @Test
  void eptWithoutHardeningNeedsThreeCompartments() {
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class, solve(TestBackends.EPT, List.of()));
    assertEquals(
        new Configuration(Map.of("sched", 0, "app", 1, "alloc", 1, "netstack", 2),
            Map.of("sched", Set.of(), "app", Set.of(), "alloc", Set.of(), "netstack", Set.of())),
        solved.configuration());
    assertTrue(solved.optimal());
    assertEquals(3, solved.bounds().lower());
  }

  @Test
  void eptWithHardeningLetsTheHardenedLibrariesJoinTheScheduler() {
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class, solve(TestBackends.EPT, ALL_HARDENING));
    assertEquals(twoCompartments(), solved.configuration());
    assertTrue(solved.optimal());
    assertEquals(166, solved.cost().hardening());
  }

  @Test
  void mpkWithHardeningGivesTheSameTwoCompartments() {
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class, solve(TestBackends.MPK, ALL_HARDENING));
    assertEquals(twoCompartments(), solved.configuration());
  }

  @Test
  void mpkWithoutHardeningIsUnsatisfiableBecauseItTrustsTheAllocator() {
    SolveResult.Unsatisfiable unsatisfiable =
        assertInstanceOf(SolveResult.Unsatisfiable.class, solve(TestBackends.MPK, List.of()));
    assertTrue(unsatisfiable.minimal());
    assertEquals(List.of(new PolicyRule.TrustedLibrary(TestBackends.MPK, "alloc", "allocator")), unsatisfiable.conflict());
    assertEquals("backend mpk trusts the allocator alloc: it must be [Verified] or hardened so that it has"
        + " neither WA nor XA", unsatisfiable.conflict().get(0).describe());
  }

  @Test
  void theApplicationMayJoinTheSchedulerOnlyWithAsanAndCfi() {
    Compatibility compatibility = problem(TestBackends.EPT, ALL_HARDENING).compatibility();
    Path meta = EXAMPLE.toAbsolutePath().normalize().resolve("meta");
    String app = meta.resolve("app.meta").toString();
    String sched = meta.resolve("sched.meta").toString();
    assertEquals(
        List.of(
            "app writes any memory of its compartment (WA) (" + app + ":4:25), but the [Requires] of sched ("
                + sched + ":10:1) does not allow W (write its memory)",
            "app may transfer control anywhere in its compartment (XA) (" + app + ":5:12), but the [Requires] of"
                + " sched (" + sched + ":10:1) does not allow X (enter its code anywhere, not only through its API)"),
        compatibility.violations("sched", Set.of(), "app", Set.of()).stream().map(Violation::describe).toList());
    assertEquals(1, compatibility.violations("sched", Set.of(), "app", Set.of("asan")).size());
    assertEquals(1, compatibility.violations("sched", Set.of(), "app", Set.of("cfi", "sp")).size());
    assertTrue(compatibility.compatible("sched", Set.of(), "app", FULL));
    assertTrue(compatibility.compatible("app", Set.of(), "alloc", Set.of()), "unverified C tolerates everything");
  }

  @Test
  void cfiIsOnlyAChoiceTogetherWithTheStackProtector() {
    HardeningSpace space = problem(TestBackends.EPT, ALL_HARDENING).hardening();
    assertEquals(
        List.of(Set.of(), Set.of("asan"), Set.of("sp"), Set.of("asan", "sp"), Set.of("cfi", "sp"), FULL),
        space.choices());
    HardeningSpace withoutSp = problem(TestBackends.EPT, List.of("asan", "cfi")).hardening();
    assertEquals(List.of("cfi"), withoutSp.unusable());
    assertEquals(List.of(Set.of(), Set.of("asan")), withoutSp.choices());
  }

  @Test
  void boundsBracketTheOptimum() {
    CompartmentBounds bounds = CompartmentBounds.of(problem(TestBackends.EPT, ALL_HARDENING));
    assertEquals(2, bounds.lower());
    assertEquals(Optional.of(3), bounds.upper());
  }

  private static Configuration twoCompartments() {
    return new Configuration(Map.of("sched", 0, "app", 0, "alloc", 0, "netstack", 1),
        Map.of("sched", Set.of(), "app", FULL, "alloc", FULL, "netstack", Set.of()));
  }
}
