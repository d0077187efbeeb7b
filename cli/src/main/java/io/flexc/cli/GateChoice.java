package io.flexc.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.measure.DesignSpaceWriter;
import io.flexc.model.Configuration;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.CostModel;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why the solver chose its configuration among those of equal safety: what it weighed the gates
 * by, how many calls the chosen configuration sends across compartments, and how many its
 * runner-up of equal safety would (the tie the gate cost broke).
 */
record GateChoice(String weights, String unit, long crossings, Optional<RunnerUp> runnerUp) {

  /** The cheapest equally safe configuration crossing other library pairs. */
  record RunnerUp(Configuration configuration, long crossings) {}

  /** How long the runner-up's search may take: it only explains, so it is short. */
  private static final Duration RUNNER_UP_TIMEOUT = Duration.ofSeconds(10);

  static GateChoice of(PlacementProblem problem, SolveResult.Solved solved, boolean fewestCompartments) {
    CostModel costs = problem.costs();
    Optional<RunnerUp> runnerUp = fewestCompartments
        ? ConfigurationSolver.runnerUp(problem, solved, RUNNER_UP_TIMEOUT)
            .map(configuration -> new RunnerUp(configuration, costs.crossings(configuration)))
        : Optional.empty();
    return new GateChoice(costs.weights(), costs.crossingUnit(), costs.crossings(solved.configuration()), runnerUp);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("gates weighed by " + weights);
    lines.add("crossings (" + unit + "): " + crossings + runnerUp.map(other -> "; the runner-up of equal safety, "
        + DesignSpaceWriter.label(other.configuration()) + ": " + other.crossings()).orElse(""));
    return lines;
  }

  void putJson(ObjectNode node) {
    ObjectNode gates = node.putObject("gate_weights");
    gates.put("source", weights);
    gates.put("unit", unit);
    gates.put("crossings", crossings);
    runnerUp.ifPresentOrElse(other -> {
      ObjectNode runner = gates.putObject("runner_up");
      runner.put("configuration", DesignSpaceWriter.label(other.configuration()));
      runner.put("crossings", other.crossings());
    }, () -> gates.putNull("runner_up"));
  }
}
