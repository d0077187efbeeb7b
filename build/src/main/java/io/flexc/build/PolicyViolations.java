package io.flexc.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.model.Configuration;
import io.flexc.solver.ConfigurationChecker;
import io.flexc.solver.PlacementProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Holds a configuration given by hand ({@code --config}) to the policy the solver obeys, judged by
 * the solver's own referee ({@link ConfigurationChecker}): one that breaks it is refused, naming
 * every rule it breaks, unless the user allows violations, which are then warnings.
 */
public final class PolicyViolations {

  public static final String ALLOW_OPTION = "--allow-policy-violations";

  private PolicyViolations() {}

  /**
   * The violations of {@code configuration} (from {@code file}) to build with: empty when it keeps
   * the policy, each printed as a warning when {@code allowed}; or no list at all after printing
   * why it is refused.
   */
  public static Optional<List<String>> check(
      PlacementProblem problem, Configuration configuration, Path file, boolean allowed, PrintWriter err) {
    List<String> violations = new ConfigurationChecker(problem).problems(configuration);
    if (violations.isEmpty()) {
      return Optional.of(violations);
    }
    if (allowed) {
      violations.forEach(violation -> err.println("flexc: warning: policy violation: " + violation));
      return Optional.of(violations);
    }
    err.println("flexc: " + file + " breaks the policy on " + problem.backend().label() + ":");
    violations.forEach(violation -> err.println("  " + violation));
    err.println("flexc: refused; " + ALLOW_OPTION + " builds it anyway, with these as warnings");
    return Optional.empty();
  }

  /** The violations a build was allowed, under a heading, for summary.txt and report.txt. */
  public static void list(List<String> violations, PrintWriter out) {
    if (!violations.isEmpty()) {
      out.println("policy violations (built with " + ALLOW_OPTION + "):");
      violations.forEach(violation -> out.println("  " + violation));
    }
  }

  /** The violations a build was allowed, as {@code "policyViolations"} of build.json and report.json. */
  public static void put(ObjectNode node, List<String> violations) {
    if (!violations.isEmpty()) {
      violations.forEach(node.putArray("policyViolations")::add);
    }
  }
}
