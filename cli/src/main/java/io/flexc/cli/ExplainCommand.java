package io.flexc.cli;

import io.flexc.model.Constraint;
import io.flexc.solver.Compatibility;
import io.flexc.solver.HardeningSpace;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.PolicyRule;
import io.flexc.solver.Violation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code flexc explain APP_DIR LIB_A LIB_B}: whether two libraries may share a compartment and
 * why, for each hardening choice that changes what they may do to each other.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Say whether and why two libraries may share a compartment.",
      "One verdict per hardening choice that changes the answer, naming the clauses (file:line:col)."
    })
final class ExplainCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Parameters(index = "1", paramLabel = "LIB_A") private String first;

  @Parameters(index = "2", paramLabel = "LIB_B") private String second;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /** Hardening of both libraries that leaves them distinct behaviours; the cheapest stands for all. */
  private record Case(Set<String> first, Set<String> second, List<Violation> violations) {}

  @Override
  public Integer call() {
    Optional<PlacementProblem> loaded = problemOptions.load(spec.commandLine());
    if (loaded.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    PlacementProblem problem = loaded.get();
    for (String library : List.of(first, second)) {
      if (!problem.libraries().contains(library)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown library '" + library + "'; the application has " + String.join(", ", problem.libraries()));
      }
    }
    if (first.equals(second)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "name two different libraries");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Case> cases = cases(problem);
    boolean ever = cases.stream().anyMatch(c -> c.violations().isEmpty());
    out.printf("%s and %s %s%n", first, second, verdict(cases, ever));
    for (Case c : cases) {
      out.printf("%n%s, %s: %s%n", Compatibility.describe(first, c.first()), Compatibility.describe(second, c.second()),
          c.violations().isEmpty() ? "compatible" : "incompatible");
      c.violations().forEach(violation -> out.println("  - " + violation.describe()));
    }
    List<PolicyRule> apart = rulesKeepingApart(problem);
    if (!apart.isEmpty()) {
      out.printf("%nWhatever the hardening, these rules keep them apart:%n");
      apart.forEach(rule -> out.println("  - " + rule.describe()));
    }
    out.flush();
    return 0;
  }

  private String verdict(List<Case> cases, boolean ever) {
    if (!ever) {
      return "may never share a compartment with the allowed hardening";
    }
    if (cases.get(0).violations().isEmpty()) {
      return "may share a compartment without hardening";
    }
    return "may share a compartment only with hardening";
  }

  /** One case per distinct verdict, each with the cheapest hardening that leads to it. */
  private List<Case> cases(PlacementProblem problem) {
    HardeningSpace space = problem.hardening();
    Compatibility compatibility = problem.compatibility();
    Map<List<String>, Case> cheapest = new LinkedHashMap<>();
    for (Set<String> a : space.choices()) {
      for (Set<String> b : space.choices()) {
        Case candidate = new Case(a, b, compatibility.violations(first, a, second, b));
        List<String> verdict = candidate.violations().stream().map(Violation::describe).toList();
        cheapest.merge(verdict, candidate, (old, next) -> cost(space, next) < cost(space, old) ? next : old);
      }
    }
    return new ArrayList<>(cheapest.values());
  }

  private static int cost(HardeningSpace space, Case c) {
    return space.cost(c.first()) + space.cost(c.second());
  }

  private List<PolicyRule> rulesKeepingApart(PlacementProblem problem) {
    List<PolicyRule> rules = new ArrayList<>();
    for (PolicyRule rule : problem.rules()) {
      if (rule instanceof PolicyRule.UserConstraint(Constraint constraint) && keepsApart(constraint)) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private boolean keepsApart(Constraint constraint) {
    return switch (constraint) {
      case Constraint.Isolate isolate -> isolate.library().equals(first) || isolate.library().equals(second);
      case Constraint.Apart apart -> apart.libraries().contains(first) && apart.libraries().contains(second);
      default -> false;
    };
  }
}
