package io.flexc.solver;

import io.flexc.model.Configuration;
import java.util.List;

/** What the solver found: a configuration, a proof that none exists, or neither in time. */
public sealed interface SolveResult {

  /**
   * A configuration that obeys every rule.
   *
   * @param optimal whether the search proved that no better configuration exists
   * @param bounds the colouring bounds that seeded the search
   * @param notes what the backend adds, and anything approximated on the way
   */
  record Solved(
      Configuration configuration,
      boolean optimal,
      Cost cost,
      CompartmentBounds bounds,
      List<String> notes) implements SolveResult {
    public Solved {
      notes = List.copyOf(notes);
    }
  }

  /**
   * No configuration obeys the rules.
   *
   * @param conflict rules that cannot hold together
   * @param minimal whether removing any one of them was proven to make the policy satisfiable
   */
  record Unsatisfiable(List<PolicyRule> conflict, boolean minimal) implements SolveResult {
    public Unsatisfiable {
      conflict = List.copyOf(conflict);
    }
  }

  /** The time ran out before any configuration was found or proven not to exist. */
  record Unknown(String reason) implements SolveResult {}
}
