package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.CallGraph;
import io.flexc.model.Configuration;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** kvstore's two equally safe 3-compartment splits: the gate cost chooses, the runner-up is the other. */
class RunnerUpTest {

  private static final SourcePosition HERE = SourcePosition.startOf("profile.csv");

  private static PlacementProblem kvstore(Optional<CallProfile> profile) {
    Outcome<Application> loaded = ApplicationLoader.load(Path.of("..", "examples", "kvstore"), TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), loaded.diagnostics().toString());
    Application application = loaded.get();
    return PlacementProblem.of(application, TestBackends.PROC, List.of(), CallGraph.declared(application), profile,
        GateCosts.defaults(), List.of());
  }

  private static Map<String, Integer> placement(Configuration configuration) {
    return configuration.compartmentOf();
  }

  @Test
  void theRunnerUpIsTheEquallySafeSplitThatCrossesMore() {
    CallProfile profile = new CallProfile(List.of(
        new CallProfile.CallCount("app", "resp", 12, HERE),
        new CallProfile.CallCount("app", "net", 8, HERE),
        new CallProfile.CallCount("app", "store", 4, HERE)));
    PlacementProblem problem = kvstore(Optional.of(profile));
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class,
        ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(Duration.ofSeconds(30))));
    assertEquals(Map.of("app", 0, "net", 0, "resp", 0, "store", 1, "alloc", 1, "script", 2),
        placement(solved.configuration()));
    assertEquals(4, problem.costs().crossings(solved.configuration()));
    Configuration runnerUp = ConfigurationSolver.runnerUp(problem, solved, Duration.ofSeconds(30)).orElseThrow();
    assertEquals(Map.of("app", 0, "net", 0, "resp", 1, "store", 1, "alloc", 1, "script", 2), placement(runnerUp));
    assertEquals(16, problem.costs().crossings(runnerUp));
    assertEquals("the call profile", problem.costs().weights());
  }

  @Test
  void withoutWeighedPairsThereIsNoRunnerUp() {
    PlacementProblem problem = kvstore(Optional.of(new CallProfile(List.of())));
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class,
        ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(Duration.ofSeconds(30))));
    assertEquals(Optional.empty(), ConfigurationSolver.runnerUp(problem, solved, Duration.ofSeconds(30)));
  }
}
