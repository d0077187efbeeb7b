package io.flexc.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.build.Counted;
import io.flexc.build.Json;
import io.flexc.build.TextTable;
import io.flexc.model.Configuration;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.PolicyRule;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flexc solve APP_DIR}: the provably best configuration for the application, or the
 * smallest set of its rules that cannot all hold.
 */
@Command(
    name = "solve",
    mixinStandardHelpOptions = true,
    description = {
      "Choose the provably best compartments and hardening for an application.",
      "Fewest compartments, then least hardening cost, then least gate cost: calls from --profile or --profile-run,"
          + " else estimated from the code, else the declared calls; or with --budget the safest configuration within"
          + " it.",
      "Exit 0 with a configuration, 1 on invalid input, 2 on usage errors, 3 when the policy is unsatisfiable (the"
          + " conflicting rules are named), 4 when the time ran out before any answer."
    })
final class SolveCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "60", description = "Seconds the search may take (default: ${DEFAULT-VALUE}); the best found by then is returned.")
  private double timeoutSeconds;

  @Option(names = "--budget", paramLabel = "X", description = "Find the safest configuration whose predicted cost is at most X points.")
  private Double budget;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (timeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive");
    }
    Optional<PlacementProblem> problem = problemOptions.load(spec.commandLine());
    if (problem.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    SolveOptions options =
        budget == null ? SolveOptions.fewestCompartments(timeout) : SolveOptions.safestWithin(budget, timeout);
    SolveResult result = ConfigurationSolver.solve(problem.get(), options);
    PrintWriter out = spec.commandLine().getOut();
    int exit = switch (result) {
      case SolveResult.Solved solved -> {
        GateChoice choice = GateChoice.of(problem.get(), solved, budget == null);
        if (json) {
          ObjectNode node = solvedJson(problem.get(), solved);
          choice.putJson(node);
          out.println(Json.write(node));
        } else {
          printSolved(problem.get(), solved, budget, out);
          choice.lines().forEach(out::println);
        }
        yield 0;
      }
      case SolveResult.Unsatisfiable unsatisfiable -> {
        if (json) {
          out.println(Json.write(unsatisfiableJson(unsatisfiable)));
        }
        printConflict(unsatisfiable, spec.commandLine().getErr());
        yield Flexc.EXIT_UNSATISFIABLE;
      }
      case SolveResult.Unknown unknown -> {
        spec.commandLine().getErr().println("flexc: " + unknown.reason());
        yield Flexc.EXIT_TIMEOUT;
      }
    };
    out.flush();
    spec.commandLine().getErr().flush();
    return exit;
  }

  private static ObjectNode solvedJson(PlacementProblem problem, SolveResult.Solved solved) {
    ObjectNode node = Json.object();
    node.put("application", problem.application().name());
    node.put("backend", problem.backend().label());
    node.put("compartments", solved.configuration().compartmentCount());
    node.put("optimal", solved.optimal());
    Json.putConfiguration(node, solved.configuration());
    Json.putCost(node, solved.cost());
    ObjectNode bounds = node.putObject("bounds");
    bounds.put("lower", solved.bounds().lower());
    solved.bounds().upper().ifPresentOrElse(upper -> bounds.put("upper", upper), () -> bounds.putNull("upper"));
    ArrayNode notes = node.putArray("notes");
    solved.notes().forEach(notes::add);
    return node;
  }

  private static ObjectNode unsatisfiableJson(SolveResult.Unsatisfiable unsatisfiable) {
    ObjectNode node = Json.object();
    node.put("satisfiable", false);
    node.put("minimal", unsatisfiable.minimal());
    ArrayNode conflict = node.putArray("conflict");
    unsatisfiable.conflict().forEach(rule -> conflict.add(rule.describe()));
    return node;
  }

  /**
   * The answer as a table. The colouring bounds bound the fewest compartments, so they are shown
   * for that objective only: beside a budget's answer (often more compartments) they would read
   * as a contradiction.
   */
  private static void printSolved(PlacementProblem problem, SolveResult.Solved solved, Double budget, PrintWriter out) {
    Configuration configuration = solved.configuration();
    String verdict;
    if (budget == null) {
      verdict = (solved.optimal() ? "proven optimal" : "best found before the timeout, not proven optimal")
          + " (colouring bounds: at least " + solved.bounds().lower()
          + solved.bounds().upper().map(upper -> ", at most " + upper).orElse("") + ")";
    } else {
      verdict = (solved.optimal() ? "proven the safest" : "the safest found before the timeout, not proven,")
          + " with a predicted cost of at most " + BigDecimal.valueOf(budget).stripTrailingZeros().toPlainString() + " points";
    }
    out.printf("%s on %s: %s, %s%n", problem.application().name(), problem.backend().label(),
        Counted.of(configuration.compartmentCount(), "compartment"), verdict);
    TextTable table = new TextTable("COMPARTMENT", "LIBRARY", "HARDENING");
    for (int compartment = 0; compartment < configuration.compartmentCount(); compartment++) {
      for (String library : configuration.compartmentOf().keySet()) {
        if (configuration.compartmentOf(library) == compartment) {
          Set<String> hardening = new TreeSet<>(configuration.hardeningOf(library));
          table.row(Integer.toString(compartment), library, hardening.isEmpty() ? "-" : String.join(", ", hardening));
        }
      }
    }
    table.print(out);
    out.printf(
        "predicted cost: %.3f points (hardening %d points, gates %d cycles)%n",
        solved.cost().total(),
        solved.cost().hardening(),
        solved.cost().gateCycles());
    solved.notes().forEach(note -> out.println("note: " + note));
  }

  static void printConflict(SolveResult.Unsatisfiable unsatisfiable, PrintWriter err) {
    err.println("flexc: the policy is unsatisfiable; these rules cannot all hold"
        + (unsatisfiable.minimal() ? " (dropping any one of them would make it satisfiable):" : ":"));
    for (PolicyRule rule : unsatisfiable.conflict()) {
      err.println("  " + rule.describe());
    }
  }
}
