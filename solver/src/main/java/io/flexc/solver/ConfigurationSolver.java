package io.flexc.solver;

import io.flexc.model.Configuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.variables.IntVar;

/**
 * Finds the best configuration of a placement problem: the public entry point of the solver.
 *
 * <p>Objectives are lexicographic, solved one after the other: each stage optimises its objective
 * with the earlier ones fixed at their optimum. The first stage starts from the colouring bounds
 * (clique below, DSatur above, the DSatur configuration as a hint). Every result is checked by the
 * independent {@link ConfigurationChecker} before it is returned.
 */
public final class ConfigurationSolver {

  private ConfigurationSolver() {}

  /** One objective: which variable, and which way. */
  private record Stage(String name, Function<ConfigurationModel, IntVar> variable, boolean maximize) {}

  public static SolveResult solve(PlacementProblem problem, SolveOptions options) {
    Deadline deadline = new Deadline(options.timeout());
    PlacementProblem constrained =
        options.budget().isPresent()
            ? problem.with(new PolicyRule.CostBudget(options.budget().getAsDouble()))
            : problem;
    CompartmentBounds bounds = CompartmentBounds.of(constrained);
    List<String> notes = new ArrayList<>(problem.backendNotes());
    if (problem.costs().modelCycleUnit() > 1) {
      notes.add("gate costs were rounded to units of " + problem.costs().modelCycleUnit()
          + " cycles to fit the model's integers");
    }
    boolean fewest = options.objective() == SolveOptions.Objective.FEWEST_COMPARTMENTS;
    List<Stage> stages = stages(options, problem.costs().profiled());
    List<Integer> optima = new ArrayList<>();
    Configuration best = null;
    boolean optimal = true;
    for (Stage stage : stages) {
      // Fewest compartments: the colouring bounds the first stage, the first optimum the others.
      int slots = !fewest ? problem.libraries().size()
          : optima.isEmpty() ? bounds.upper().orElse(problem.libraries().size())
          : optima.get(0);
      ConfigurationModel model = new ConfigurationModel(constrained, constrained.rules(), slots, fewest);
      for (int k = 0; k < optima.size(); k++) {
        model.model.arithm(stages.get(k).variable().apply(model), "=", optima.get(k)).post();
      }
      if (optima.isEmpty() && fewest) {
        seed(model, bounds);
      }
      IntVar objective = stage.variable().apply(model);
      Solver solver = model.model.getSolver();
      model.model.setObjective(stage.maximize() ? Model.MAXIMIZE : Model.MINIMIZE, objective);
      deadline.limit(solver);
      Solution solution = model.newSolution();
      boolean found = false;
      while (solver.solve()) {
        solution.record();
        found = true;
      }
      if (!found) {
        if (best != null) {
          optimal = false;
          notes.add("the time ran out while optimising " + stage.name());
          break;
        }
        if (solver.isStopCriterionMet()) {
          return new SolveResult.Unknown(
              "no configuration found within " + options.timeout().toMillis() / 1000.0
                  + " s, and none proven impossible; raise --timeout");
        }
        return new ConflictExplainer(constrained, new Deadline(options.timeout())).explain();
      }
      best = model.decode(solution);
      optima.add(solution.getIntVal(objective));
      if (solver.isStopCriterionMet()) {
        optimal = false;
        notes.add("the time ran out while optimising " + stage.name());
        break;
      }
    }
    List<String> problems = new ConfigurationChecker(constrained).problems(best);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the solver produced an invalid configuration: " + problems);
    }
    return new SolveResult.Solved(best, optimal, problem.costs().cost(best), bounds, notes);
  }

  /**
   * The runner-up of {@code solved} (solved for the fewest compartments): the configuration of
   * equal safety (as many compartments, the same hardening cost) with the least gate cost among
   * those that cross a different set of weighed library pairs, i.e. what the gate cost preferred
   * the chosen one to. Empty when there is none or the time ran out first.
   */
  public static Optional<Configuration> runnerUp(PlacementProblem problem, SolveResult.Solved solved, Duration timeout) {
    if (problem.costs().edges().isEmpty()) {
      return Optional.empty();
    }
    Configuration chosen = solved.configuration();
    ConfigurationModel model = new ConfigurationModel(problem, problem.rules(), chosen.compartmentCount(), true);
    model.model.arithm(model.compartmentCount, "=", chosen.compartmentCount()).post();
    model.model.arithm(model.hardeningCost, "=", solved.cost().hardening()).post();
    model.differsOnWeighedPairs(chosen);
    model.model.setObjective(Model.MINIMIZE, model.gateCost);
    Solver solver = model.model.getSolver();
    new Deadline(timeout).limit(solver);
    Solution solution = model.newSolution();
    boolean found = false;
    while (solver.solve()) {
      solution.record();
      found = true;
    }
    return found ? Optional.of(model.decode(solution)) : Optional.empty();
  }

  private static List<Stage> stages(SolveOptions options, boolean profiled) {
    List<Stage> stages = new ArrayList<>();
    if (options.objective() == SolveOptions.Objective.FEWEST_COMPARTMENTS) {
      stages.add(new Stage("compartments", model -> model.compartmentCount, false));
      stages.add(new Stage("hardening cost", model -> model.hardeningCost, false));
      if (profiled) {
        stages.add(new Stage("gate cost", model -> model.gateCost, false));
      }
    } else {
      stages.add(new Stage("separated pairs", ConfigurationModel::separatedPairs, true));
      stages.add(new Stage("hardening safety", model -> model.hardeningSafety, true));
      stages.add(new Stage("hardening cost", model -> model.hardeningCost, false));
      stages.add(new Stage("gate cost", model -> model.gateCost, false));
    }
    return stages;
  }

  /** Narrows the compartment count to the colouring bounds and hints the colouring's placement. */
  private static void seed(ConfigurationModel model, CompartmentBounds bounds) {
    model.model.arithm(model.compartmentCount, ">=", bounds.lower()).post();
    bounds.colouring().ifPresent(colouring -> {
      model.model.arithm(model.compartmentCount, "<=", colouring.compartmentCount()).post();
      model.hint(colouring);
    });
  }
}
