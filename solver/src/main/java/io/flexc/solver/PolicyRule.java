package io.flexc.solver;

import io.flexc.model.Backend;
import io.flexc.model.Behaviour;
import io.flexc.model.Constraint;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A rule every configuration must obey besides compatibility: a constraint the user wrote (in
 * flexc.yaml, or a placement a kraft.yaml pins) or a limit of the backend. An unsatisfiable policy
 * is explained as a minimal set of these rules.
 */
public sealed interface PolicyRule {

  /** The rule in the words its author used, with where it was written when it was written. */
  String describe();

  /** A constraint from flexc.yaml or kraft.yaml. */
  record UserConstraint(Constraint constraint) implements PolicyRule {
    @Override
    public String describe() {
      return constraint.describe() + " (" + constraint.position().format() + ")";
    }
  }

  /** The backend isolates at most {@code limit} compartments (MPK has 16 keys, one is shared). */
  record CompartmentLimit(Backend backend, int limit) implements PolicyRule {
    @Override
    public String describe() {
      return "backend " + backend.label() + ": at most " + limit + " compartments";
    }
  }

  /**
   * The backend trusts this library ({@code mpk} trusts the scheduler and the allocator, which run
   * the gates and hand out memory): it must be verified, or keep neither {@code WA} nor {@code XA}.
   */
  record TrustedLibrary(Backend backend, String library, String role) implements PolicyRule {

    /** What a trusted library must not keep after hardening. */
    static final Set<Behaviour> FORBIDDEN =
        Collections.unmodifiableSet(EnumSet.of(Behaviour.WRITE_ANY, Behaviour.EXECUTE_ANY));

    /** Whether a library left with {@code remaining} behaviours may be trusted. */
    static boolean trustworthy(Set<Behaviour> remaining) {
      return FORBIDDEN.stream().noneMatch(remaining::contains);
    }

    @Override
    public String describe() {
      return "backend " + backend.label() + " trusts the " + role + " " + library
          + ": it must be [Verified] or hardened so that it has neither WA nor XA";
    }
  }

  /** The predicted cost ({@link Cost#total()}) stays within {@code points}, from {@code --budget}. */
  record CostBudget(double points) implements PolicyRule {
    @Override
    public String describe() {
      return "budget: predicted cost at most " + points + " points";
    }
  }
}
