package io.flexc.cli;

import io.flexc.backends.MpkGates;
import io.flexc.build.PolicyViolations;
import io.flexc.build.StepProgress;
import io.flexc.build.TransformReportWriter;
import io.flexc.build.Transformation;
import io.flexc.model.Backend;
import io.flexc.model.Configuration;
import io.flexc.model.SharedData.Placement;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code flexc transform APP_DIR --config C.json|--solve -o OUT}: the application's sources
 * rewritten for a configuration, compiled and checked against the compiler, with the gates.
 */
@Command(
    name = "transform",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite an application's C sources so that every cross-compartment call goes through a gate.",
      "OUT gets src/ (the rewritten sources), objects/ (compiled, cross-checked, residual references redirected with"
          + " objcopy), gates/ (the backend's stubs and runtime: fcall, mpk, proc; ept: gates/image_c<k> and"
          + " link/image_c<k>.ld per compartment image), link/linux.ld (page-aligned sections per compartment),"
          + " report.json and report.txt; mpk with shared stacks also gives a kernel build's start-up"
          + " (gates/flexc_mpk_kernel.c, not compiled here) and link/kernel.ld. OUT is written completely or not at"
          + " all, and the input is never modified.",
      "OUT must not exist or be an earlier flexc output (marked by OUT/.flexc-output), which is replaced; anything"
          + " else is refused, as are the application's directory, what contains it or lies inside it and the"
          + " current directory or what contains it.",
      "Exit 0 on success, 1 on invalid input or sources that do not compile, 2 on usage errors, 3 when --solve"
          + " finds the policy unsatisfiable or --config breaks it."
    })
final class TransformCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Mixin private BackendOptions backendOptions;

  @Option(names = "--config", paramLabel = "CONFIG.json",
      description = "The configuration: flexc solve --json output, or {\"compartments\": [[libs...], ...]}.")
  private Path config;

  @Option(names = PolicyViolations.ALLOW_OPTION,
      description = "Transform a --config that breaks the policy, each violation a warning and listed in report.txt"
          + " and report.json.")
  private boolean allowPolicyViolations;

  @Option(names = "--solve", description = "Use the configuration flexc solve finds.")
  private boolean solve;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output directory.")
  private Path output;

  @Option(names = "--shared-locals", paramLabel = "dss|heap",
      description = "Where locals passed through gates go (default: dss, the data shadow stack).")
  private String sharedLocals;

  @Option(names = "--source-only", description = "Rewrite the sources only: no compilation, no object-level check.")
  private boolean sourceOnly;

  @Option(names = "--jobs", paramLabel = "N", description = "Compilers run at once (default: the number of cores).")
  private int jobs = Runtime.getRuntime().availableProcessors();

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (config == null == !solve) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --config and --solve");
    }
    Optional<PlacementProblem> problem = problemOptions.load(spec.commandLine());
    if (problem.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    PrintWriter err = spec.commandLine().getErr();
    Optional<OutputDirectory> target = OutputDirectory.claim(output, problem.get().application(), "transform", err);
    if (target.isEmpty()) {
      return Flexc.EXIT_USAGE;
    }
    Map<String, Integer> compartmentOf;
    List<String> violations;
    if (solve) {
      SolveResult result = ConfigurationSolver.solve(problem.get(), SolveOptions.fewestCompartments(Duration.ofSeconds(60)));
      if (!(result instanceof SolveResult.Solved solved)) {
        err.println("flexc: no configuration to transform for: run flexc solve for the reason");
        return result instanceof SolveResult.Unsatisfiable ? Flexc.EXIT_UNSATISFIABLE : Flexc.EXIT_TIMEOUT;
      }
      compartmentOf = solved.configuration().compartmentOf();
      violations = List.of();
    } else {
      Optional<Configuration> read = ConfigurationFile.read(config, problem.get().application(), err);
      if (read.isEmpty()) {
        return Flexc.EXIT_INVALID_INPUT;
      }
      Optional<List<String>> allowed =
          PolicyViolations.check(problem.get(), read.get(), config, allowPolicyViolations, err);
      if (allowed.isEmpty()) {
        return Flexc.EXIT_UNSATISFIABLE;
      }
      violations = allowed.get();
      compartmentOf = read.get().compartmentOf();
    }
    Backend backend = problem.get().backend();
    MpkGates.StackMode stacks = backendOptions.mpkStacks(spec.commandLine());
    Placement placement = placement(stacks);
    Transformer.Options options = new Transformer.Options(placement, !sourceOnly, jobs);
    TransformReport[] report = new TransformReport[1];
    String stopped = "flexc: stopped; nothing was written to " + output;
    try (StopReport stop = new StopReport(() -> StepProgress.silent(err).interrupt(stopped))) {
      target.get().replace(directory ->
          report[0] = Transformation.run(problem.get().application(), backend, stacks, compartmentOf, violations,
              options, directory).report());
      stop.completed();
    } catch (IOException e) {
      if (!StopReport.stopping()) {
        err.println("flexc: " + e.getMessage());
        err.println("flexc: nothing was written to " + output);
      }
      return Flexc.EXIT_INVALID_INPUT;
    }
    PrintWriter out = spec.commandLine().getOut();
    TransformReportWriter.summary(report[0], out);
    out.println("written to " + output);
    out.flush();
    return 0;
  }

  private Placement placement(MpkGates.StackMode stacks) {
    if (sharedLocals == null) {
      return Transformation.sharedLocals(stacks);
    }
    return switch (sharedLocals) {
      case "dss" -> Placement.DSS;
      case "heap" -> Placement.HEAP;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--shared-locals must be dss or heap");
    };
  }
}
