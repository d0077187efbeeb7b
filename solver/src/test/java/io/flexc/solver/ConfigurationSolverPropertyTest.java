package io.flexc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flexc.model.Configuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The solver on thousands of generated problems: every configuration it returns is accepted by the
 * independent checker, and on small problems its answer is as good as brute force finds, its
 * unsatisfiability verdicts are real, and its conflicts are minimal.
 */
@Tag("slow")
class ConfigurationSolverPropertyTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void everyAnswerIsValidOnThousandsOfProblems() {
    int solved = 0;
    for (long seed = 0; seed < 2000; seed++) {
      PlacementProblem problem = RandomApplications.problem(seed, 8, 3);
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(TIMEOUT));
      if (result instanceof SolveResult.Solved answer) {
        List<String> problems = new ConfigurationChecker(problem).problems(answer.configuration());
        assertTrue(problems.isEmpty(), "seed " + seed + ": " + problems);
        assertTrue(answer.optimal(), "seed " + seed + " not proven optimal");
        solved++;
      } else {
        assertInstanceOf(SolveResult.Unsatisfiable.class, result, "seed " + seed);
      }
    }
    assertTrue(solved > 1000, "most generated problems are satisfiable: " + solved);
  }

  @Test
  void fewestCompartmentsMatchesBruteForce() {
    for (long seed = 0; seed < 300; seed++) {
      PlacementProblem problem = RandomApplications.problem(seed, 5, 2);
      List<Configuration> valid = BruteForce.validConfigurations(problem);
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(TIMEOUT));
      if (valid.isEmpty()) {
        assertUnsatisfiableAndMinimal(problem, result, seed);
        continue;
      }
      Comparator<Configuration> order = Comparator.comparingInt(Configuration::compartmentCount)
          .thenComparingInt(c -> problem.costs().cost(c).hardening())
          .thenComparingLong(c -> problem.costs().profiled() ? problem.costs().cost(c).gateCycles() : 0);
      Configuration best = valid.stream().min(order).orElseThrow();
      Configuration found = assertInstanceOf(SolveResult.Solved.class, result, "seed " + seed).configuration();
      assertEquals(0, order.compare(best, found), "seed " + seed + ": brute force " + best + ", solver " + found);
    }
  }

  @Test
  void safestWithinBudgetMatchesBruteForce() {
    for (long seed = 1000; seed < 1200; seed++) {
      PlacementProblem problem = RandomApplications.problem(seed, 5, 2);
      List<Configuration> valid = BruteForce.validConfigurations(problem);
      if (valid.isEmpty()) {
        continue;
      }
      double budget = valid.stream().mapToDouble(c -> problem.costs().cost(c).total()).max().orElseThrow() / 2;
      Comparator<Configuration> safety = Comparator.comparing(c -> Safety.of(c, problem.hardening(), List.of()));
      List<Configuration> affordable = new ArrayList<>();
      valid.stream().filter(c -> problem.costs().cost(c).total() <= budget).forEach(affordable::add);
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.safestWithin(budget, TIMEOUT));
      if (affordable.isEmpty()) {
        SolveResult.Unsatisfiable unsatisfiable = assertInstanceOf(SolveResult.Unsatisfiable.class, result);
        assertTrue(unsatisfiable.conflict().stream().anyMatch(rule -> rule instanceof PolicyRule.CostBudget),
            "seed " + seed + ": the budget is part of the conflict");
        continue;
      }
      Configuration safest = affordable.stream().max(safety).orElseThrow();
      Configuration found = assertInstanceOf(SolveResult.Solved.class, result, "seed " + seed).configuration();
      assertEquals(0, safety.compare(safest, found), "seed " + seed + ": brute force " + safest + ", solver " + found);
      assertTrue(problem.costs().cost(found).total() <= budget, "seed " + seed + " over budget");
    }
  }

  private static void assertUnsatisfiableAndMinimal(PlacementProblem problem, SolveResult result, long seed) {
    SolveResult.Unsatisfiable unsatisfiable =
        assertInstanceOf(SolveResult.Unsatisfiable.class, result, "seed " + seed + " has no valid configuration");
    assertTrue(unsatisfiable.minimal(), "seed " + seed);
    assertFalse(unsatisfiable.conflict().isEmpty(), "seed " + seed);
    assertTrue(validUnder(problem, unsatisfiable.conflict()).isEmpty(), "seed " + seed + ": the conflict alone is unsatisfiable");
    for (PolicyRule dropped : unsatisfiable.conflict()) {
      List<PolicyRule> rest = new ArrayList<>(unsatisfiable.conflict());
      rest.remove(dropped);
      if (validUnder(problem, rest).isEmpty()) {
        fail("seed " + seed + ": the conflict is not minimal, " + dropped.describe() + " is not needed");
      }
    }
  }

  private static List<Configuration> validUnder(PlacementProblem problem, List<PolicyRule> rules) {
    PlacementProblem restricted =
        new PlacementProblem(problem.application(), problem.backend(), problem.compatibility(), problem.costs(), rules);
    return BruteForce.validConfigurations(restricted);
  }
}
