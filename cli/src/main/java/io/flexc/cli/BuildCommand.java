package io.flexc.cli;

import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.backends.Sharing;
import io.flexc.backends.SharingProfile;
import io.flexc.build.PolicyViolations;
import io.flexc.build.ProgramBuild;
import io.flexc.build.ProgramLink;
import io.flexc.build.StepProgress;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.Configuration;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.SharedData;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import io.flexc.transformer.CrossLibraryCalls;
import io.flexc.transformer.Transformer;
import io.flexc.transformer.objects.CompileCache;
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
      "OUT must not exist or be an earlier flexc output (marked by OUT/.flexc-output), which is replaced; anything"
          + " else is refused, as are the application's directory, what contains it or lies inside it and the"
          + " current directory or what contains it.",
      "Exit 0 on success, 1 on invalid input or a failed compilation, 2 on usage errors, 3 when the policy is"
          + " unsatisfiable or --config breaks it, 4 when the solver runs out of time."
    })
final class BuildCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Mixin private BackendOptions backendOptions;

  @Option(names = "--config", paramLabel = "CONFIG.json",
      description = "Build this configuration (flexc solve --json output, or {\"compartments\": [[libs...], ...]})"
          + " instead of solving.")
  private Path config;

  @Option(names = PolicyViolations.ALLOW_OPTION,
      description = "Build a --config that breaks the policy (flexc.yaml's constraints, compatibility, the backend's"
          + " rules, what mechanisms need), each violation a warning and listed in summary.txt and build.json.")
  private boolean allowPolicyViolations;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output directory (default: flexc-out/NAME).")
  private Path output;

  @Option(names = "--jobs", paramLabel = "N", description = "Compilers run at once (default: the number of cores).")
  private int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--quiet", description = "Print the summary only, not the steps.")
  private boolean quiet;

  @Option(names = "--no-cache", description = "Compile every file anew, neither taking compilations from the cache"
      + " ($XDG_CACHE_HOME/flexc, else ~/.cache/flexc: objects kept by compiler, flags and the content of the file and"
      + " of every header it includes) nor adding to it.")
  private boolean noCache;

  @Option(names = "--profile-sharing", description = "proc: build a variant that records every access to another"
      + " compartment's heap or global (with the block's allocation site or the global's name) instead of faulting;"
      + " each run merges them into a sharing profile (FLEXC_SHARING_PROFILE, else OUT/sharing-profile.txt).")
  private boolean profileSharing;

  @Option(names = "--sharing", paramLabel = "FILE", description = "proc: allocate the heap sites of this sharing"
      + " profile from the shared heap and place its globals in shared memory.")
  private Path sharingProfile;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StepProgress progress = new StepProgress(spec.commandLine().getErr(), quiet);
    // Every message of the build, the diagnostics of the options' loading included, ends the
    // progress line it interrupts.
    PrintWriter err = progress.messages();
    spec.commandLine().setErr(err);
    progress.step("checking the metadata");
    problemOptions.weighFromCode = config == null;
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
    progress.done();
    Optional<Sharing> sharing = sharing(backend, err);
    if (sharing.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    Optional<OutputDirectory> target = OutputDirectory.claim(
        output != null ? output : Path.of("flexc-out", application.name()), application, "build", err);
    if (target.isEmpty()) {
      return Flexc.EXIT_USAGE;
    }
    Map<String, String> leftOut = loaded.get().leftOut();
    if (!leftOut.isEmpty()) {
      leftOut.forEach((name, why) -> err.println("flexc: note: " + name + " is left out on " + backend.label() + ": "
          + why + "; --backend fcall keeps it"));
    }
    Optional<CompileCache> cache = noCache ? Optional.empty() : Optional.of(CompileCache.ofUser(System.getenv()));
    Configuration configuration;
    ProgramBuild.Provenance provenance;
    if (config == null) {
      IsolationBackend isolation = IsolationBackends.of(backend);
      if (isolation.refusesSomeGates()) {
        progress.step("finding the calls between libraries that " + backend.label() + " cannot gate");
        CallsKeptTogether.Result kept;
        try {
          kept = CallsKeptTogether.apply(problem, isolation, CrossLibraryCalls.find(application,
              new Transformer.Options(SharedData.Placement.DSS, true, jobs).withCache(cache)));
        } catch (IOException e) {
          progress.done();
          err.println("flexc: " + e.getMessage());
          return Flexc.EXIT_INVALID_INPUT;
        }
        progress.done();
        problem = kept.problem();
        kept.notes().forEach(note -> err.println("flexc: note: " + note));
      }
      progress.step("solving");
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(Duration.ofSeconds(60)));
      if (!(result instanceof SolveResult.Solved solved)) {
        progress.done();
        if (result instanceof SolveResult.Unsatisfiable unsatisfiable) {
          SolveCommand.printConflict(unsatisfiable, err);
        }
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
      provenance = new ProgramBuild.Provenance(List.of(), GateChoice.of(problem, solved, true).lines());
    } else {
      progress.step("reading " + config);
      Optional<Configuration> read = ConfigurationFile.read(config, application, err);
      if (read.isEmpty()) {
        return Flexc.EXIT_INVALID_INPUT;
      }
      configuration = read.get();
      progress.done();
      Optional<List<String>> allowed =
          PolicyViolations.check(problem, configuration, config, allowPolicyViolations, err);
      if (allowed.isEmpty()) {
        return Flexc.EXIT_UNSATISFIABLE;
      }
      provenance = new ProgramBuild.Provenance(allowed.get(), List.of());
    }
    progress.done();
    List<String> refusals = ProgramBuild.refusals(application, backend, configuration);
    if (!refusals.isEmpty()) {
      refusals.forEach(refusal -> err.println("flexc: " + refusal));
      return Flexc.EXIT_INVALID_INPUT;
    }
    ProgramBuild.Built built;
    String stopped = "flexc: stopped; nothing was written to " + target.get().given();
    try (StopReport stop = new StopReport(() -> progress.interrupt(stopped))) {
      built = ProgramBuild.build(application, backend, backendOptions.mpkStacks(spec.commandLine()), sharing.get(),
          configuration, provenance, jobs, cache, target.get(), progress);
      stop.completed();
    } catch (IOException e) {
      if (!StopReport.stopping()) {
        err.println("flexc: " + e.getMessage());
        err.println("flexc: nothing was written to " + target.get().given());
      }
      return Flexc.EXIT_INVALID_INPUT;
    }
    progress.done();
    PrintWriter out = spec.commandLine().getOut();
    ProgramBuild.summarize(application, backend, configuration, built, target.get().given(), out);
    out.flush();
    return 0;
  }

  /** Where shared memory comes from besides the transformer's rules; empty after saying why the options cannot be used. */
  private Optional<Sharing> sharing(Backend backend, PrintWriter err) {
    if (!profileSharing && sharingProfile == null) {
      return Optional.of(Sharing.STATIC);
    }
    String option = profileSharing ? "--profile-sharing" : "--sharing";
    if (profileSharing && sharingProfile != null) {
      err.println("flexc: --profile-sharing and --sharing exclude each other: profile first, then build with the profile");
      return Optional.empty();
    }
    if (!backend.label().equals("proc")) {
      err.println("flexc: " + option + " needs --backend proc (only proc records and uses sharing profiles), not "
          + backend.label());
      return Optional.empty();
    }
    if (profileSharing) {
      return Optional.of(Sharing.PROFILING);
    }
    try {
      return Optional.of(Sharing.measured(SharingProfile.read(sharingProfile)));
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      return Optional.empty();
    }
  }
}
