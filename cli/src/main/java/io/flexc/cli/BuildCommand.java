package io.flexc.cli;

import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.Configuration;
import io.flexc.model.HardeningMechanism;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flexc build APP_DIR}: the whole pipeline, from metadata to a program ready to run —
 * check, solve (unless a configuration is given), transform, gates, runtime and linker script,
 * compile with each library's hardening flags, link.
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Build an application split into compartments.",
      "Checks, solves (or takes --config), rewrites the sources, generates gates, runtime and linker script,"
          + " compiles with each library's hardening flags and links. OUT (default flexc-out/NAME) gets bin/NAME,"
          + " a Makefile that repeats the build without flexc, summary.txt, build.json, configuration.json and what"
          + " flexc transform writes; it is written completely or not at all, and the input is never modified.",
      "Exit 0 on success, 1 on invalid input or a failed compilation, 2 on usage errors, 3 when the policy is"
          + " unsatisfiable, 4 when the solver runs out of time."
    })
final class BuildCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Mixin private BackendOptions backendOptions;

  @Option(names = "--config", paramLabel = "CONFIG.json",
      description = "Build this configuration (flexc solve --json output, or {\"compartments\": [[libs...], ...]})"
          + " instead of solving.")
  private Path config;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output directory (default: flexc-out/NAME).")
  private Path output;

  @Option(names = "--jobs", paramLabel = "N", description = "Compilers run at once (default: the number of cores).")
  private int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--quiet", description = "Print the summary only, not the steps.")
  private boolean quiet;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StepProgress progress = new StepProgress(spec.commandLine().getErr(), quiet);
    // Every message of the build, the diagnostics of the options' loading included, ends the
    // progress line it interrupts.
    PrintWriter err = progress.messages();
    spec.commandLine().setErr(err);
    progress.step("checking the metadata");
    // A configuration read from a file is refused below if the backend cannot link it; a solved
    // one is kept within what the backend can link.
    Optional<ProblemOptions.Restricted> loaded = problemOptions.loadWithout(spec.commandLine(),
        config == null ? ProgramLink::whyCannotLink : (backend, mechanism) -> Optional.empty());
    if (loaded.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    PlacementProblem problem = loaded.get().problem();
    Application application = problem.application();
    Backend backend = problem.backend();
    Map<String, String> leftOut = loaded.get().leftOut();
    if (!leftOut.isEmpty()) {
      progress.done();
      leftOut.forEach((name, why) -> err.println("flexc: note: " + name + " is left out on " + backend.label() + ": "
          + why + "; --backend fcall keeps it"));
    }
    Configuration configuration;
    if (config == null) {
      progress.step("solving");
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(Duration.ofSeconds(60)));
      if (!(result instanceof SolveResult.Solved solved)) {
        progress.done();
        String solve = "flexc solve " + problemOptions.application;
        if (!leftOut.isEmpty()) {
          List<String> kept = problem.hardening().mechanisms().stream().map(HardeningMechanism::name).toList();
          solve += " --backend " + backend.label() + " --hardening " + (kept.isEmpty() ? "''" : String.join(",", kept));
        }
        err.println("flexc: no configuration to build" + (leftOut.isEmpty() ? "" : " without "
            + String.join(", ", leftOut.keySet())) + ": run " + solve + " for the reason");
        return result instanceof SolveResult.Unsatisfiable ? Flexc.EXIT_UNSATISFIABLE : Flexc.EXIT_TIMEOUT;
      }
      configuration = solved.configuration();
    } else {
      progress.step("reading " + config);
      Optional<Configuration> read = ConfigurationFile.read(config, application, err);
      if (read.isEmpty()) {
        return Flexc.EXIT_INVALID_INPUT;
      }
      configuration = read.get();
    }
    progress.done();
    List<String> refusals = ProgramBuild.refusals(application, backend, configuration);
    if (!refusals.isEmpty()) {
      refusals.forEach(refusal -> err.println("flexc: " + refusal));
      return Flexc.EXIT_INVALID_INPUT;
    }
    Path target = output != null ? output : Path.of("flexc-out", application.name());
    ProgramBuild.Built built;
    try {
      built = ProgramBuild.build(
          application, backend, backendOptions.mpkStacks(spec.commandLine()), configuration, jobs, target, progress);
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      err.println("flexc: nothing was written to " + target);
      return Flexc.EXIT_INVALID_INPUT;
    }
    progress.done();
    PrintWriter out = spec.commandLine().getOut();
    ProgramBuild.summarize(application, backend, configuration, built, target, out);
    out.flush();
    return 0;
  }
}
