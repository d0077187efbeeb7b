package io.flexc.cli;

import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.build.Counted;
import io.flexc.measure.MeasuredExploration;
import io.flexc.measure.MeasuredReport;
import io.flexc.measure.MeasurementLog;
import io.flexc.model.Application;
import io.flexc.model.WorkloadSpec;
import io.flexc.solver.DesignSpace;
import io.flexc.solver.PlacementProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code flexc explore --measure} and its options: builds and benchmarks the explored
 * configurations ({@link MeasuredExploration}) and writes what they show ({@link MeasuredReport}).
 */
final class MeasureOptions {

  @Option(names = "--measure", description = "Build and benchmark the configurations (see above).")
  boolean measure;

  @Option(names = "--front", description = "With --measure: only the Pareto front.")
  private boolean front;

  @Option(names = "--workload", paramLabel = "COMMAND", description = "With --measure: this shell command instead of"
      + " flexc.yaml's measure.workload (same port variable and figures).")
  private String workloadCommand;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "With --measure: run the workload N"
      + " times against each build; each figure is the median (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT",
      description = "With --measure: the output directory (default: flexc-out/NAME-measured).")
  private Path output;

  @Option(names = "--throughput-budget", paramLabel = "X|N%", defaultValue = "50%", description = "With --measure:"
      + " mark the safest configurations measured at X or more, or at N%% of the fastest (default: 50%%).")
  private String throughputBudget;

  @Option(names = "--workload-timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "With --measure: give up on a workload run after this long (default: ${DEFAULT-VALUE}).")
  private int workloadTimeout;

  @Option(names = "--keep-builds", description = "With --measure: keep every build in OUT/builds.")
  private boolean keepBuilds;

  @Option(names = "--jobs", paramLabel = "N", description = "With --measure: compilers run at once (default: the"
      + " number of cores).")
  private int jobs = Runtime.getRuntime().availableProcessors();

  private MeasuredReport.Budget budget;

  /** Usage errors in the measure options, before anything is explored. */
  void validate(CommandLine commandLine) {
    if (runs < 1) {
      throw new CommandLine.ParameterException(commandLine, "--runs must be at least 1");
    }
    try {
      budget = MeasuredReport.Budget.parse(throughputBudget);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine,
          "--throughput-budget takes a figure or a percentage, e.g. 20000 or 50%, not '" + throughputBudget + "'");
    }
  }

  /** The output directory, or empty after printing why flexc will not write there; before any work. */
  Optional<OutputDirectory> claimOutput(Application application, PrintWriter err) throws IOException {
    return OutputDirectory.claim(output != null ? output : Path.of("flexc-out", application.name() + "-measured"),
        application, "explore --measure", err);
  }

  /** Measures the selected configurations of {@code space} into {@code target}; returns the command's exit status. */
  int measure(PlacementProblem problem, DesignSpace space, OutputDirectory target, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    Optional<WorkloadSpec> configured = problem.application().spec().workload();
    if (configured.isEmpty()) {
      err.println("flexc: " + problem.application().spec().configFile() + " has no measure: key, so there is no"
          + " workload to measure with; add one (see examples/kvstore/flexc.yaml)");
      return Flexc.EXIT_INVALID_INPUT;
    }
    IsolationBackend backend = IsolationBackends.of(problem.backend());
    if (!backend.measurable()) {
      err.println("flexc: --measure runs each build here, as a process serving on loopback, which "
          + backend.label() + " builds do not (they run in a VM); measure with --backend "
          + IsolationBackends.measurableLabels());
      return Flexc.EXIT_INVALID_INPUT;
    }
    WorkloadSpec workload = configured.get();
    if (workloadCommand != null) {
      workload = new WorkloadSpec(workloadCommand, workload.portVariable(), workload.figures(), workload.unit());
    }
    MeasuredExploration exploration = new MeasuredExploration(problem, space,
        new MeasuredExploration.Settings(workload, runs, front, jobs, Duration.ofSeconds(workloadTimeout), keepBuilds),
        target, err);
    err.printf("flexc: measuring %s with: %s%n", Counted.of(exploration.selection().size(), "configuration"),
        workload.command());
    List<MeasurementLog.Measurement> measurements;
    try {
      measurements = exploration.run();
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      return Flexc.EXIT_INVALID_INPUT;
    }
    MeasuredReport.write(problem, space, measurements, budget, workload.unit(), target.given(), out);
    out.flush();
    return measurements.stream().anyMatch(MeasurementLog.Measurement::succeeded) ? 0 : Flexc.EXIT_INVALID_INPUT;
  }
}
