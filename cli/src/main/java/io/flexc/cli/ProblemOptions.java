package io.flexc.cli;

import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.metadata.config.KraftImporter;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.CallGraph;
import io.flexc.model.Constraint;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.ImportedConfiguration;
import io.flexc.model.Printable;
import io.flexc.model.SourcePosition;
import io.flexc.solver.CallProfile;
import io.flexc.solver.CallProfileReader;
import io.flexc.solver.GateCosts;
import io.flexc.solver.PlacementProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options every solver command shares: the application and what may override its flexc.yaml
 * (backend, allowed hardening), plus a call profile, pins from a kraft.yaml and the gate cost.
 * Turns them into a {@link PlacementProblem}, printing diagnostics when the input is invalid.
 */
final class ProblemOptions {

  @Parameters(index = "0", paramLabel = "APP_DIR", description = "The application directory (with flexc.yaml).")
  Path application;

  @Option(names = "--backend", paramLabel = "B", description = "${bundle:flexc.backends} (default: flexc.yaml's).")
  String backendLabel;

  @Option(
      names = "--hardening",
      split = ",",
      paramLabel = "M",
      description = "Mechanisms the solver may apply, comma-separated; '' or 'none' for none (default: flexc.yaml's).")
  List<String> hardening;

  @Option(names = "--profile", paramLabel = "CSV", description = "Call counts (caller,callee,count) to weigh gates by.")
  Path profile;

  @Option(
      names = "--profile-run",
      description = "Record the call profile to weigh gates by: one run of flexc.yaml's measure: workload against the"
          + " finest split, built on proc (FLEXC_PROFILE).")
  boolean profileRun;

  @Option(
      names = "--from-kraft",
      paramLabel = "KRAFT_YAML",
      description = "Pin libraries as this FlexOS kraft.yaml places them (same compartment or not).")
  Path kraft;

  @Option(names = "--gate-cycles", paramLabel = "N", description = "Cycles one gate crossing costs (default: the backend's).")
  Integer gateCycles;

  /** Whether, without --profile, gates are weighed by calls estimated from the code (needs gcc). */
  boolean weighFromCode = true;

  /** The problem, or empty after printing why the input is invalid. */
  Optional<PlacementProblem> load(CommandLine commandLine) {
    return loadWithout(commandLine, (chosenBackend, mechanism) -> Optional.empty()).map(Restricted::problem);
  }

  /** A problem whose allowed hardening lacks the mechanisms in {@code leftOut}, each with why. */
  record Restricted(PlacementProblem problem, Map<String, String> leftOut) {
    Restricted {
      leftOut = Map.copyOf(leftOut);
    }
  }

  /**
   * The problem without the allowed mechanisms for which {@code whyLeftOut} gives a reason on the
   * chosen backend (flexc build leaves out what the backend cannot link), or empty after printing
   * why the input is invalid.
   */
  Optional<Restricted> loadWithout(
      CommandLine commandLine, BiFunction<Backend, HardeningMechanism, Optional<String>> whyLeftOut) {
    requireApplicationDirectory(application, commandLine);
    PrintWriter err = commandLine.getErr();
    Optional<Application> loaded = Diagnostics.report(ApplicationLoader.load(application, IsolationBackends.catalog()), err);
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    Application app = loaded.get();
    Backend chosenBackend = app.spec().backend();
    if (backendLabel != null) {
      chosenBackend = IsolationBackends.byLabel(backendLabel).map(IsolationBackend::model).orElseThrow(() ->
          new CommandLine.ParameterException(commandLine,
              "unknown backend '" + backendLabel + "'; expected " + IsolationBackends.labels()));
    }
    Map<String, String> leftOut = new TreeMap<>();
    List<String> allowed = new ArrayList<>();
    for (String name : allowedHardening(app, commandLine)) {
      Optional<String> why = whyLeftOut.apply(chosenBackend, app.mechanisms().get(name).value());
      why.ifPresentOrElse(reason -> leftOut.put(name, reason), () -> allowed.add(name));
    }
    Optional<CallProfile> callProfile = Optional.empty();
    if (profile != null && profileRun) {
      throw new CommandLine.ParameterException(commandLine, "--profile and --profile-run exclude each other");
    }
    if (profile != null) {
      callProfile = Diagnostics.report(CallProfileReader.read(profile, new LinkedHashSet<>(app.libraryNames())), err);
      if (callProfile.isEmpty()) {
        return Optional.empty();
      }
    } else if (profileRun) {
      callProfile = recordedProfile(app, commandLine);
      if (callProfile.isEmpty()) {
        return Optional.empty();
      }
    } else if (weighFromCode) {
      callProfile = estimatedProfile(app, err);
    }
    List<Constraint> pins = new ArrayList<>();
    if (kraft != null) {
      Optional<ImportedConfiguration> imported = Diagnostics.report(KraftImporter.readFor(kraft, app, IsolationBackends.catalog()), err);
      if (imported.isEmpty()) {
        return Optional.empty();
      }
      SourcePosition where = SourcePosition.startOf(kraft.toString());
      for (Map.Entry<String, Integer> placed : imported.get().configuration().compartmentOf().entrySet()) {
        pins.add(new Constraint.Pin(placed.getKey(), placed.getValue(), where));
      }
    }
    GateCosts costs = GateCosts.defaults();
    if (gateCycles != null) {
      if (gateCycles < 0) {
        throw new CommandLine.ParameterException(commandLine, "--gate-cycles must not be negative");
      }
      costs = costs.with(chosenBackend, gateCycles);
    }
    return Optional.of(new Restricted(
        PlacementProblem.of(app, chosenBackend, allowed, CallGraph.declared(app), callProfile, costs, pins), leftOut));
  }

  /** The files these options name for the command to read, which it must not write. */
  List<OutputFile.Named> inputFiles() {
    return List.of(new OutputFile.Named("--profile", profile), new OutputFile.Named("--from-kraft", kraft));
  }

  /** The profile --profile-run records, or empty after printing why there is none. */
  private Optional<CallProfile> recordedProfile(Application app, CommandLine commandLine) {
    PrintWriter err = commandLine.getErr();
    if (app.spec().workload().isEmpty()) {
      throw new CommandLine.ParameterException(commandLine, "--profile-run needs a workload, and "
          + app.spec().configFile() + " has no measure: key; give one, or a profile with --profile CSV");
    }
    try {
      return Diagnostics.report(ProfileRun.record(app, err), err);
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("flexc: --profile-run was interrupted");
    }
    return Optional.empty();
  }

  /** Calls estimated from the code, or empty (the declared calls) after saying why there are none. */
  private static Optional<CallProfile> estimatedProfile(Application app, PrintWriter err) {
    try {
      return CodeWeights.estimate(app);
    } catch (IOException e) {
      err.println("flexc: note: gates are weighed by the declared calls, not estimated from the code: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("flexc: note: gates are weighed by the declared calls: interrupted while compiling to estimate them");
    }
    return Optional.empty();
  }

  /** A usage error unless {@code directory} is a directory holding a flexc.yaml. */
  static void requireApplicationDirectory(Path directory, CommandLine commandLine) {
    if (!Files.isDirectory(directory) || !Files.exists(directory.resolve(ApplicationLoader.CONFIG_FILE))) {
      throw new CommandLine.ParameterException(
          commandLine,
          Printable.escape(directory.toString()) + " is not an application directory: it has no "
              + ApplicationLoader.CONFIG_FILE);
    }
  }

  private List<String> allowedHardening(Application app, CommandLine commandLine) {
    if (hardening == null) {
      return app.spec().hardening();
    }
    List<String> named = hardening.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
    if (named.isEmpty() || named.equals(List.of("none"))) {
      return List.of();
    }
    for (String name : named) {
      if (!app.mechanisms().containsKey(name)) {
        throw new CommandLine.ParameterException(
            commandLine, "unknown hardening mechanism '" + name + "'; known: " + String.join(", ", app.mechanisms().keySet()));
      }
    }
    return List.copyOf(new LinkedHashSet<>(named));
  }
}
