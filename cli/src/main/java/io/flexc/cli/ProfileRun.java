package io.flexc.cli;

import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.backends.MpkGates;
import io.flexc.build.ProgramBuild;
import io.flexc.build.ProgramLink;
import io.flexc.build.StepProgress;
import io.flexc.measure.DesignSpaceWriter;
import io.flexc.measure.WorkloadRunner;
import io.flexc.model.Application;
import io.flexc.model.CallGraph;
import io.flexc.model.Configuration;
import io.flexc.model.Outcome;
import io.flexc.model.WorkloadSpec;
import io.flexc.solver.CallProfile;
import io.flexc.solver.CallProfileReader;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.GateCosts;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import io.flexc.transformer.ScratchDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --profile-run}: records a call profile by itself. The finest split the policy allows (the
 * most separated library pairs, no hardening) is built on {@code proc}, whose gates count every
 * call between compartments, and flexc.yaml's workload runs against it once with {@code
 * FLEXC_PROFILE} set; the rows the processes append at exit are the profile.
 */
final class ProfileRun {

  /** The backend that runs anywhere and whose gates count every crossing (FLEXC_PROFILE). */
  private static final IsolationBackend PROFILING = IsolationBackends.byDefault();

  private static final Duration SOLVE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration WORKLOAD_TIMEOUT = Duration.ofSeconds(600);

  private ProfileRun() {}

  /**
   * The recorded profile (with the reader's diagnostics), or {@link IOException} saying why none
   * was recorded. The application must have a workload.
   */
  static Outcome<CallProfile> record(Application application, PrintWriter err) throws IOException, InterruptedException {
    WorkloadSpec workload = application.spec().workload().orElseThrow();
    // No hardening and no weighed calls: everything costs 0 points, so a budget of 1 admits every
    // configuration and the safest is the one separating the most pairs.
    PlacementProblem finest = PlacementProblem.of(application, PROFILING.model(), List.of(), CallGraph.declared(application),
        Optional.of(new CallProfile(List.of())), GateCosts.defaults(), List.of());
    SolveResult solved = ConfigurationSolver.solve(finest, SolveOptions.safestWithin(1, SOLVE_TIMEOUT));
    if (!(solved instanceof SolveResult.Solved split)) {
      throw new IOException("--profile-run: no configuration runs on " + PROFILING.label() + " without hardening: run flexc"
          + " solve " + application.spec().directory() + " --backend " + PROFILING.label() + " --hardening none for the"
          + " reason");
    }
    Configuration configuration = split.configuration();
    try (ScratchDirectory scratch = ScratchDirectory.createTemporary("flexc-profile-run")) {
      Path work = scratch.path();
      err.println("flexc: recording a call profile: " + DesignSpaceWriter.label(configuration) + " on " + PROFILING.label() + ", "
          + workload.command());
      err.flush();
      Path build = work.resolve("build");
      ProgramBuild.build(application, PROFILING.model(), MpkGates.StackMode.DSS, configuration,
          ProgramBuild.Provenance.NONE, Runtime.getRuntime().availableProcessors(),
          OutputDirectory.inScratch(build, "build", application), StepProgress.silent(err));
      Path profile = work.resolve("calls.profile");
      WorkloadRunner.Result result = new WorkloadRunner(workload, 1, WORKLOAD_TIMEOUT).run(
          build.resolve(ProgramLink.program(application.name())), work.resolve("logs"),
          Map.of("FLEXC_PROFILE", profile.toString()));
      if (result instanceof WorkloadRunner.Result.Failed failed) {
        throw new IOException("--profile-run: " + failed.reason());
      }
      if (!Files.isRegularFile(profile)) {
        throw new IOException("--profile-run: the program wrote no profile at exit");
      }
      Outcome<CallProfile> read = CallProfileReader.read(profile, new LinkedHashSet<>(application.libraryNames()));
      return read.value().isPresent()
          ? Outcome.of(read.get().from(CallProfile.Source.RECORDED), read.diagnostics())
          : read;
    }
  }
}
