package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import io.flexc.model.CallGraph;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CostBudgetTest {

  @Test
  void aBudgetBeyondEveryCostAdmitsTheSafestConfigurationWithoutOverflowingTheModel() {
    Outcome<Application> loaded = ApplicationLoader.load(Path.of("..", "examples", "kvstore"), TestBackends.CATALOG);
    assertTrue(loaded.succeeded(), loaded.diagnostics().toString());
    Application application = loaded.get();
    CallProfile profile = new CallProfile(List.of(
        new CallProfile.CallCount("app", "resp", 40_000, SourcePosition.startOf("profile.csv"))));
    PlacementProblem problem = PlacementProblem.of(application, TestBackends.PROC, List.of(),
        CallGraph.declared(application), Optional.of(profile), GateCosts.defaults(), List.of());
    SolveResult.Solved solved = assertInstanceOf(SolveResult.Solved.class,
        ConfigurationSolver.solve(problem, SolveOptions.safestWithin(1e10, Duration.ofSeconds(30))));
    assertEquals(5, solved.configuration().compartmentCount());
  }
}
