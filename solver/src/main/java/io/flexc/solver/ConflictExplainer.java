package io.flexc.solver;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a minimal set of rules that cannot hold together, by deletion filtering: drop each rule in
 * turn and keep it dropped when the rest is still unsatisfiable. What remains is minimal: without
 * any one of its rules a configuration exists. Compatibility itself never conflicts (every library
 * alone in its compartment is compatible), so the conflict always consists of rules.
 */
final class ConflictExplainer {

  private final PlacementProblem problem;
  private final Deadline deadline;

  ConflictExplainer(PlacementProblem problem, Deadline deadline) {
    this.problem = problem;
    this.deadline = deadline;
  }

  SolveResult.Unsatisfiable explain() {
    List<PolicyRule> conflict = new ArrayList<>(problem.rules());
    boolean minimal = true;
    for (PolicyRule rule : problem.rules()) {
      List<PolicyRule> without = new ArrayList<>(conflict);
      without.remove(rule);
      Feasibility feasibility = feasibility(without);
      if (feasibility == Feasibility.INFEASIBLE) {
        conflict = without;
      } else if (feasibility == Feasibility.UNKNOWN) {
        minimal = false;
      }
    }
    return new SolveResult.Unsatisfiable(conflict, minimal);
  }

  enum Feasibility {
    FEASIBLE,
    INFEASIBLE,
    UNKNOWN
  }

  Feasibility feasibility(List<PolicyRule> rules) {
    if (deadline.expired()) {
      return Feasibility.UNKNOWN;
    }
    ConfigurationModel model = new ConfigurationModel(problem, rules);
    deadline.limit(model.model.getSolver());
    if (model.model.getSolver().solve()) {
      return Feasibility.FEASIBLE;
    }
    return model.model.getSolver().isStopCriterionMet() ? Feasibility.UNKNOWN : Feasibility.INFEASIBLE;
  }
}
