package io.flexc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.build.Json;
import io.flexc.build.ProgramBuild;
import io.flexc.measure.StopOnExit;
import io.flexc.metadata.config.ApplicationLoader;
import io.flexc.model.Application;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code flexc run OUT|APP_DIR [-- ARGS]}: runs what {@code flexc build} built, directly (fcall,
 * proc: the program starts its other compartments itself) or in QEMU (mpk), and exits with its
 * status; an ept build's unikernel images it cannot run, and says so. Stopping flexc run stops the program the same way (SIGTERM), so it can shut down cleanly.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a program flexc build built: OUT, or the application directory (then flexc-out/NAME).",
      "Arguments after -- go to the program; the exit status is the program's."
    })
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "OUT|APP_DIR", description = "A build's output or an application directory.")
  private Path target;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments.")
  private List<String> arguments = new ArrayList<>();

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Optional<Path> build = buildDirectory(err);
    if (build.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    JsonNode manifest = Json.MAPPER.readTree(build.get().resolve(ProgramBuild.MANIFEST).toFile());
    String label = manifest.path("backend").asText();
    Optional<IsolationBackend> backend = IsolationBackends.byLabel(label);
    if (backend.isEmpty()) {
      err.println("flexc: " + build.get().resolve(ProgramBuild.MANIFEST) + " names backend '" + label
          + "', which this flexc does not know (" + IsolationBackends.labels() + "); build it again");
      return Flexc.EXIT_INVALID_INPUT;
    }
    if (backend.get().running(manifest.path("program").asText()) instanceof IsolationBackend.Running.NotHere notHere) {
      err.println("flexc: " + build.get() + " is an " + label + " build: " + notHere.reason());
      return Flexc.EXIT_INVALID_INPUT;
    }
    List<String> command = new ArrayList<>();
    if (manifest.has("runner")) {
      command.addAll(List.of("bash", build.get().resolve(manifest.get("runner").asText()).toString()));
    } else {
      command.add(build.get().resolve(manifest.get("program").asText()).toAbsolutePath().toString());
    }
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).inheritIO().start();
    try (StopOnExit stop = new StopOnExit(process)) {
      return process.waitFor();
    }
  }

  private Optional<Path> buildDirectory(PrintWriter err) {
    if (Files.isRegularFile(target.resolve(ProgramBuild.MANIFEST))) {
      return Optional.of(target);
    }
    if (!Files.isRegularFile(target.resolve("flexc.yaml"))) {
      err.println("flexc: " + target + " is neither a build (no " + ProgramBuild.MANIFEST
          + ") nor an application directory (no flexc.yaml)");
      return Optional.empty();
    }
    Optional<Application> application = Diagnostics.report(ApplicationLoader.load(target, IsolationBackends.catalog()), err);
    if (application.isEmpty()) {
      return Optional.empty();
    }
    Path build = Path.of("flexc-out", application.get().name());
    if (!Files.isRegularFile(build.resolve(ProgramBuild.MANIFEST))) {
      err.println("flexc: " + application.get().name() + " is not built yet (no " + build.resolve(ProgramBuild.MANIFEST)
          + "): run flexc build " + target);
      return Optional.empty();
    }
    return Optional.of(build);
  }
}
