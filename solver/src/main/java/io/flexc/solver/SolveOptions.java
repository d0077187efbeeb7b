package io.flexc.solver;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How to solve: the objective, the time the whole search may take (the best configuration found
 * by then is returned, marked as not proven optimal), and for {@link Objective#SAFEST_WITHIN_BUDGET}
 * the budget in cost points ({@link Cost#total()}).
 */
public record SolveOptions(Objective objective, Duration timeout, OptionalDouble budget) {

  /** What "best" means. */
  public enum Objective {
    /**
     * Fewest compartments, then least hardening cost, then least gate cost when calls are weighed
     * by a profile (given, recorded or estimated from the code).
     */
    FEWEST_COMPARTMENTS,
    /** Most separated library pairs, then most hardening, among those within the budget. */
    SAFEST_WITHIN_BUDGET
  }

  public SolveOptions {
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive: " + timeout);
    }
    if (objective == Objective.SAFEST_WITHIN_BUDGET && budget.isEmpty()) {
      throw new IllegalArgumentException("the safest configuration within a budget needs a budget");
    }
  }

  public static SolveOptions fewestCompartments(Duration timeout) {
    return new SolveOptions(Objective.FEWEST_COMPARTMENTS, timeout, OptionalDouble.empty());
  }

  public static SolveOptions safestWithin(double budget, Duration timeout) {
    return new SolveOptions(Objective.SAFEST_WITHIN_BUDGET, timeout, OptionalDouble.of(budget));
  }
}
