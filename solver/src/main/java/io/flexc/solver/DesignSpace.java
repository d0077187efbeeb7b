package io.flexc.solver;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Every valid configuration, ordered by safety: {@code c1} is at least as safe as {@code c2} when
 * c1's partition refines c2's and c1 hardens, per library, a superset of what c2 hardens.
 *
 * @param covers the Hasse diagram: each pair {@code [less safe, safer]} where the second is an
 *     immediate refinement of the first (one block split in two, or one library hardened one step
 *     more) and both are valid
 * @param pareto the configurations no other beats on both {@link Safety} score and cost (of those
 *     equal in both, the first enumerated), cheapest first
 * @param safestWithinBudget the maximal configurations (in the safety order) among those whose
 *     cost meets the budget, safest score first
 */
public record DesignSpace(
    List<DesignPoint> points,
    List<Cover> covers,
    List<Integer> pareto,
    OptionalDouble budget,
    List<Integer> safestWithinBudget) {

  /** {@code safer} immediately refines {@code lessSafe}. */
  public record Cover(int lessSafe, int safer) {}

  public DesignSpace {
    points = List.copyOf(points);
    covers = List.copyOf(covers);
    pareto = List.copyOf(pareto);
    safestWithinBudget = List.copyOf(safestWithinBudget);
  }
}
