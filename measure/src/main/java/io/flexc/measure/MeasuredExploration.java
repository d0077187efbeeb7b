package io.flexc.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.MpkGates;
import io.flexc.build.AtomicFile;
import io.flexc.build.BuildTarget;
import io.flexc.build.Json;
import io.flexc.build.ProgramBuild;
import io.flexc.build.ProgramLink;
import io.flexc.build.StepProgress;
import io.flexc.model.Application;
import io.flexc.model.Configuration;
import io.flexc.model.InputFiles;
import io.flexc.model.WorkloadSpec;
import io.flexc.solver.DesignPoint;
import io.flexc.solver.DesignSpace;
import io.flexc.solver.PlacementProblem;
import io.flexc.transformer.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds and benchmarks configurations of a design space one after the other, appending each
 * result to {@code measurements.csv} in the output directory as soon as it is known. Run again on
 * the same directory, it measures only what is missing; {@code measure.json} records what was
 * being measured (application, backend, workload, selection) and a run that differs is refused
 * rather than mixed in. Builds go to {@code builds/ID}, scratch space removed after each
 * measurement; the program's and the workload's output stay in {@code logs/ID}.
 */
public final class MeasuredExploration {

  public static final String MANIFEST = "measure.json";
  public static final String CSV = "measurements.csv";

  /** What to measure and how. */
  public record Settings(
      WorkloadSpec workload, int runs, boolean frontOnly, int jobs, Duration workloadTimeout, boolean keepBuilds) {}

  private final PlacementProblem problem;
  private final DesignSpace space;
  private final Settings settings;
  private final ExplorationOutput target;
  private final Path output;
  private final PrintWriter err;

  public MeasuredExploration(
      PlacementProblem problem, DesignSpace space, Settings settings, ExplorationOutput target, PrintWriter err) {
    this.problem = problem;
    this.space = space;
    this.settings = settings;
    this.target = target;
    this.output = target.path();
    this.err = err;
  }

  public List<Integer> selection() {
    return settings.frontOnly() ? space.pareto() : space.points().stream().map(DesignPoint::id).toList();
  }

  /** Measures every selected configuration that has no row yet; returns every row, in file order. */
  public List<MeasurementLog.Measurement> run() throws IOException, InterruptedException {
    claimOutput();
    MeasurementLog log = new MeasurementLog(output.resolve(CSV));
    Set<String> done = new HashSet<>();
    log.read().forEach(measurement -> done.add(measurement.configuration()));
    Path builds = output.resolve("builds");
    Directories.delete(builds);
    List<DesignPoint> pending = selection().stream().map(space.points()::get)
        .filter(point -> !done.contains(DesignSpaceWriter.label(point.configuration()))).toList();
    int total = selection().size();
    if (pending.size() < total) {
      err.printf("flexc: resuming: %d of %d configurations were measured before%n", total - pending.size(), total);
    }
    long started = System.nanoTime();
    int finished = 0;
    for (DesignPoint point : pending) {
      Path build = Path.of("builds", Integer.toString(point.id()));
      MeasurementLog.Measurement measurement = measure(point,
          target.inside(build, "build", problem.application().name()), output.resolve(build));
      log.append(measurement);
      finished++;
      double perConfiguration = (System.nanoTime() - started) / 1e9 / finished;
      err.printf("flexc: [%d/%d] #%d %s: %s (%s left)%n", total - pending.size() + finished, total, point.id(),
          DesignSpaceWriter.label(point.configuration()), outcome(measurement, settings.workload().unit()),
          duration(perConfiguration * (pending.size() - finished)));
      err.flush();
    }
    Directories.delete(builds);
    return log.read();
  }

  private MeasurementLog.Measurement measure(DesignPoint point, BuildTarget build, Path buildPath)
      throws IOException, InterruptedException {
    Application application = problem.application();
    Configuration configuration = point.configuration();
    long buildStarted = System.nanoTime();
    List<String> refusals = ProgramBuild.refusals(application, problem.backend(), configuration);
    if (!refusals.isEmpty()) {
      return row(point, "not built: " + String.join("; ", refusals), OptionalDouble.empty(), Map.of(), 0, 0);
    }
    try {
      ProgramBuild.build(application, problem.backend(), MpkGates.StackMode.DSS, configuration,
          ProgramBuild.Provenance.NONE, settings.jobs(), build, StepProgress.silent(err));
    } catch (IOException failed) {
      return row(point, "build failed: " + failed.getMessage(), OptionalDouble.empty(), Map.of(),
          seconds(buildStarted), 0);
    }
    double buildSeconds = seconds(buildStarted);
    long runStarted = System.nanoTime();
    WorkloadRunner.Result result = new WorkloadRunner(settings.workload(), settings.runs(), settings.workloadTimeout())
        .run(buildPath.resolve(ProgramLink.program(application.name())),
            output.resolve("logs").resolve(Integer.toString(point.id())));
    if (!settings.keepBuilds()) {
      Directories.delete(buildPath);
    }
    return switch (result) {
      case WorkloadRunner.Result.Measured measured -> row(point, MeasurementLog.Measurement.OK,
          OptionalDouble.of(measured.mean()), measured.figures(), buildSeconds, seconds(runStarted));
      case WorkloadRunner.Result.Failed failed -> row(point, "run failed: " + failed.reason(), OptionalDouble.empty(),
          Map.of(), buildSeconds, seconds(runStarted));
    };
  }

  private static MeasurementLog.Measurement row(DesignPoint point, String status, OptionalDouble throughput,
      Map<String, Double> figures, double buildSeconds, double runSeconds) {
    Configuration configuration = point.configuration();
    int hardened = (int) configuration.compartmentOf().keySet().stream()
        .filter(library -> !configuration.hardeningOf(library).isEmpty()).count();
    return new MeasurementLog.Measurement(point.id(), DesignSpaceWriter.label(configuration),
        configuration.compartmentCount(), hardened, point.safety().separatedPairs(), point.safety().hardening(),
        point.cost().total(), status, throughput, figures, buildSeconds, runSeconds);
  }

  /**
   * Makes the output directory this exploration's: one with the same manifest is resumed; one with
   * another is refused so no other result is mixed in or overwritten; a new one, or another flexc
   * output (the command line refused anything else), is started afresh with the manifest.
   */
  private void claimOutput() throws IOException {
    ObjectNode manifest = manifest();
    Path file = output.resolve(MANIFEST);
    if (Files.exists(file)) {
      JsonNode previous = Json.MAPPER.readTree(InputFiles.readOrThrow(file));
      if (!previous.equals(manifest)) {
        throw new IOException(output + " holds measurements of another exploration (" + differences(previous, manifest)
            + "); choose another --output or remove it");
      }
      return;
    }
    target.recreate();
    AtomicFile.write(file, writer -> writer.write(Json.write(manifest) + "\n"));
  }

  /** The fields of {@code measure.json} that differ, each with what it was and what it is now. */
  private static String differences(JsonNode previous, ObjectNode current) {
    Set<String> fields = new LinkedHashSet<>();
    current.fieldNames().forEachRemaining(fields::add);
    previous.fieldNames().forEachRemaining(fields::add);
    return fields.stream()
        .filter(field -> !Objects.equals(previous.get(field), current.get(field)))
        .map(field -> field + " was " + shown(previous.get(field)) + ", now " + shown(current.get(field)))
        .collect(Collectors.joining("; "));
  }

  private static String shown(JsonNode value) {
    return value == null ? "not recorded" : value.isTextual() ? "'" + value.asText() + "'" : value.toString();
  }

  private ObjectNode manifest() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("application", problem.application().name());
    node.put("backend", problem.backend().label());
    var hardening = node.putArray("hardening");
    problem.hardening().mechanisms().forEach(mechanism -> hardening.add(mechanism.name()));
    node.put("workload", settings.workload().command());
    node.put("runs", settings.runs());
    node.put("figures", settings.workload().figures().pattern());
    node.put("selection", settings.frontOnly() ? "pareto front" : "every configuration");
    node.put("configurations", selection().size());
    return node;
  }

  private static String outcome(MeasurementLog.Measurement measurement, String unit) {
    return measurement.succeeded()
        ? String.format("built in %.1f s, %.0f %s", measurement.buildSeconds(), measurement.throughput().getAsDouble(),
            unit)
        : measurement.status();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  public static String duration(double seconds) {
    long whole = Math.round(seconds);
    return whole < 60 ? whole + " s" : whole / 3600 > 0
        ? String.format("%d h %02d min", whole / 3600, whole % 3600 / 60)
        : String.format("%d min %02d s", whole / 60, whole % 60);
  }
}
