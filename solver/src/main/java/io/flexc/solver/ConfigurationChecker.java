package io.flexc.solver;

import io.flexc.model.Configuration;
import io.flexc.model.Constraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a configuration against a placement problem by evaluating every rule directly, without
 * the constraint model: the independent referee for what the solver produces, for colouring
 * bounds, and for configurations users bring (kraft.yaml).
 */
public final class ConfigurationChecker {

  private final PlacementProblem problem;

  public ConfigurationChecker(PlacementProblem problem) {
    this.problem = problem;
  }

  /**
   * Everything wrong with {@code configuration}, one line each, in the words {@code flexc explain}
   * and {@code flexc solve} use (a rule as {@link PolicyRule#describe()}, an incompatibility as
   * explain's verdict with its {@link Violation#describe()}); empty when it is valid.
   */
  public List<String> problems(Configuration configuration) {
    List<String> problems = new ArrayList<>();
    List<String> libraries = problem.libraries();
    if (!configuration.compartmentOf().keySet().equals(new HashSet<>(libraries))) {
      problems.add("the configuration places " + configuration.compartmentOf().keySet()
          + " but the application has " + libraries);
      return problems;
    }
    for (String library : libraries) {
      problems.addAll(notAllowed(library, configuration.hardeningOf(library)));
    }
    if (!problems.isEmpty()) {
      // What a mechanism the problem does not allow would do is unknown to it: nothing more to judge.
      return problems;
    }
    for (String library : libraries) {
      problems.addAll(unmetNeeds(library, configuration.hardeningOf(library)));
    }
    for (int i = 0; i < libraries.size(); i++) {
      for (int j = i + 1; j < libraries.size(); j++) {
        String a = libraries.get(i);
        String b = libraries.get(j);
        if (configuration.compartmentOf(a) == configuration.compartmentOf(b)) {
          String pair = Compatibility.describe(a, configuration.hardeningOf(a)) + ", "
              + Compatibility.describe(b, configuration.hardeningOf(b)) + ": incompatible: ";
          problem.compatibility()
              .violations(a, effective(configuration.hardeningOf(a)), b, effective(configuration.hardeningOf(b)))
              .forEach(violation -> problems.add(pair + violation.describe()));
        }
      }
    }
    for (PolicyRule rule : problem.rules()) {
      if (!holds(rule, configuration)) {
        problems.add(rule.describe());
      }
    }
    return problems;
  }

  private List<String> notAllowed(String library, Set<String> applied) {
    Set<String> allowed = new HashSet<>();
    problem.hardening().mechanisms().forEach(mechanism -> allowed.add(mechanism.name()));
    return applied.stream().filter(name -> !allowed.contains(name)).sorted()
        .map(name -> library + " is hardened with " + name + ", which is not allowed").toList();
  }

  private List<String> unmetNeeds(String library, Set<String> applied) {
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(applied)) {
      Set<String> missing = new TreeSet<>(problem.hardening().mechanism(name).needs());
      missing.removeAll(applied);
      if (!missing.isEmpty()) {
        problems.add(library + " is hardened with " + name + ", which needs " + String.join(", ", missing)
            + " for its effect");
      }
    }
    return problems;
  }

  /** The applied mechanisms that have their effect: those whose needs are applied and effective too. */
  private Set<String> effective(Set<String> applied) {
    Set<String> effective = new TreeSet<>(applied);
    while (effective.removeIf(name -> !effective.containsAll(problem.hardening().mechanism(name).needs()))) {
      // A mechanism dropped may be what another needs: drop until nothing changes.
    }
    return effective;
  }

  private boolean holds(PolicyRule rule, Configuration configuration) {
    return switch (rule) {
      case PolicyRule.UserConstraint user -> holds(user.constraint(), configuration);
      case PolicyRule.CompartmentLimit limit -> configuration.compartmentCount() <= limit.limit();
      case PolicyRule.CostBudget budget ->
          problem.costs().cost(configuration).total() <= budget.points();
      case PolicyRule.TrustedLibrary trusted -> {
        yield PolicyRule.TrustedLibrary.trustworthy(problem.hardening().effectiveBehaviours(
            problem.application().library(trusted.library()), effective(configuration.hardeningOf(trusted.library()))));
      }
    };
  }

  private boolean holds(Constraint constraint, Configuration configuration) {
    return switch (constraint) {
      case Constraint.Together group ->
          group.libraries().stream().map(configuration::compartmentOf).distinct().count() <= 1;
      case Constraint.Apart group ->
          group.libraries().stream().map(configuration::compartmentOf).distinct().count()
              == group.libraries().size();
      case Constraint.Isolate isolate ->
          configuration.compartmentOf().entrySet().stream()
              .noneMatch(entry -> !entry.getKey().equals(isolate.library())
                  && entry.getValue() == configuration.compartmentOf(isolate.library()));
      case Constraint.MaxCompartments max -> configuration.compartmentCount() <= max.limit();
      case Constraint.Pin pin -> pinHolds(pin, configuration);
    };
  }

  /** Pinned libraries share a compartment exactly when their pins name the same one. */
  private boolean pinHolds(Constraint.Pin pin, Configuration configuration) {
    for (PolicyRule rule : problem.rules()) {
      if (rule instanceof PolicyRule.UserConstraint(Constraint.Pin other)) {
        boolean samePin = other.compartment() == pin.compartment();
        boolean sameCompartment =
            configuration.compartmentOf(other.library()) == configuration.compartmentOf(pin.library());
        if (samePin != sameCompartment) {
          return false;
        }
      }
    }
    return true;
  }
}
