package io.flexc.cli;

import io.flexc.build.AtomicFile;
import io.flexc.build.Counted;
import io.flexc.build.Json;
import io.flexc.build.ProgramLink;
import io.flexc.build.TextTable;
import io.flexc.measure.DesignSpaceWriter;
import io.flexc.solver.DesignPoint;
import io.flexc.solver.DesignSpace;
import io.flexc.solver.DesignSpaceExplorer;
import io.flexc.solver.ExploreResult;
import io.flexc.solver.PlacementProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flexc explore APP_DIR}: every valid configuration, their safety order (Hasse diagram),
 * the Pareto front of safety against predicted cost, and the safest configurations within a budget.
 */
@Command(
    name = "explore",
    mixinStandardHelpOptions = true,
    description = {
      "Enumerate every valid configuration and order them by safety.",
      "Writes the Hasse diagram (--json, --dot), the Pareto front of safety vs. predicted cost and, with --budget,"
          + " the safest configurations within it. FILE may be an earlier output, which is replaced; an input, a file"
          + " in the application's directory or in OUT, and a directory are refused.",
      "With --measure, builds and benchmarks every configuration (or, with --front, the Pareto front) with the"
          + " workload of flexc.yaml's measure: key, writing measurements.csv, throughput.svg, the safety order"
          + " coloured by throughput (poset.dot/.svg) and summary.txt to OUT; run again on the same OUT, it resumes"
          + " where it stopped. OUT must not exist or be an earlier flexc output (marked by OUT/.flexc-output);"
          + " anything else is refused, as for flexc build.",
      "Exit 0 on success, 1 on invalid input, 2 on usage errors, 5 when the space exceeds --limit."
    })
final class ExploreCommand implements Callable<Integer> {

  /** Exit code when the design space is larger than the limit. */
  static final int EXIT_TOO_LARGE = 5;

  /** Rows of a list shown on the terminal; files have them all. */
  private static final int SHOWN = 20;

  @Mixin private ProblemOptions problemOptions;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the design space as JSON.")
  private Path json;

  @Option(names = "--dot", paramLabel = "FILE", description = "Write the Hasse diagram for Graphviz.")
  private Path dot;

  @Option(names = "--budget", paramLabel = "X", description = "Mark the safest configurations whose predicted cost is at most X points.")
  private Double budget;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100000", description = "Refuse spaces with more than N configurations (default: ${DEFAULT-VALUE}).")
  private long limit;

  @Mixin private MeasureOptions measureOptions;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (limit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Measured configurations must be built, so the space leaves out what the backend cannot link.
    Optional<ProblemOptions.Restricted> loaded = problemOptions.loadWithout(spec.commandLine(),
        measureOptions.measure ? ProgramLink::whyCannotLink : (backend, mechanism) -> Optional.empty());
    loaded.ifPresent(restricted -> restricted.leftOut().forEach((name, why) -> err.println("flexc: note: " + name
        + " is left out: " + why)));
    Optional<PlacementProblem> problem = loaded.map(ProblemOptions.Restricted::problem);
    if (problem.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    measureOptions.validate(spec.commandLine());
    Optional<OutputDirectory> measured = Optional.empty();
    if (measureOptions.measure) {
      measured = measureOptions.claimOutput(problem.get().application(), err);
      if (measured.isEmpty()) {
        return Flexc.EXIT_USAGE;
      }
    }
    if (!OutputFile.mayWrite(List.of(new OutputFile.Named("--json", json), new OutputFile.Named("--dot", dot)),
        problem.get().application(), problemOptions.inputFiles(), measured, err)) {
      return Flexc.EXIT_USAGE;
    }
    OptionalDouble chosenBudget = budget == null ? OptionalDouble.empty() : OptionalDouble.of(budget);
    ExploreResult result = new DesignSpaceExplorer(problem.get()).explore(limit, chosenBudget, count -> {
      err.printf("\rflexc: enumerated %d configurations", count);
      err.flush();
    });
    err.println();
    switch (result) {
      case ExploreResult.TooLarge tooLarge -> {
        err.printf("flexc: the design space has more than %d valid configurations (%s candidates before"
            + " any rule); narrow it with constraints or --hardening, or raise --limit%n",
            tooLarge.limit(), tooLarge.candidates());
        return EXIT_TOO_LARGE;
      }
      case ExploreResult.Explored explored -> {
        DesignSpace space = explored.space();
        if (json != null) {
          AtomicFile.write(json, writer -> DesignSpaceWriter.writeJson(space, writer));
        }
        if (dot != null) {
          AtomicFile.write(dot, writer -> DesignSpaceWriter.writeDot(space, writer));
        }
        printSummary(problem.get(), space, out);
        if (measured.isPresent()) {
          out.flush();
          return measureOptions.measure(problem.get(), space, measured.get(), out, err);
        }
      }
    }
    out.flush();
    return 0;
  }

  private void printSummary(PlacementProblem problem, DesignSpace space, PrintWriter out) {
    out.printf("%s on %s: %s, %s in the safety order's Hasse diagram%n",
        problem.application().name(), problem.backend().label(),
        Counted.of(space.points().size(), "valid configuration"), Counted.of(space.covers().size(), "edge"));
    out.printf("Pareto front (safety score: separated pairs, then hardening; vs. predicted cost): %s%n",
        Counted.of(space.pareto().size(), "configuration"));
    printPoints(space, space.pareto(), out);
    if (space.budget().isPresent()) {
      out.printf("Safest within a budget of %s points: %s%n",
          space.budget().getAsDouble(), Counted.of(space.safestWithinBudget().size(), "configuration"));
      printPoints(space, space.safestWithinBudget(), out);
    }
    if (json != null) {
      out.println("wrote " + json);
    }
    if (dot != null) {
      out.println("wrote " + dot);
    }
  }

  private static void printPoints(DesignSpace space, List<Integer> ids, PrintWriter out) {
    TextTable table = new TextTable("ID", "COST", "SEPARATED", "HARDENING", "CONFIGURATION");
    for (int id : ids.subList(0, Math.min(ids.size(), SHOWN))) {
      DesignPoint point = space.points().get(id);
      table.row(Integer.toString(id), String.format("%.3f", point.cost().total()),
          Integer.toString(point.safety().separatedPairs()), Integer.toString(point.safety().hardening()),
          DesignSpaceWriter.label(point.configuration()));
    }
    table.print(out);
    if (ids.size() > SHOWN) {
      out.printf("... and %d more (all are in --json)%n", ids.size() - SHOWN);
    }
  }
}
