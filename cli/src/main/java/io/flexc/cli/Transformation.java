package io.flexc.cli;

import io.flexc.backends.FcallGates;
import io.flexc.backends.GeneratedSource;
import io.flexc.backends.MpkGates;
import io.flexc.backends.ProcGates;
import io.flexc.linker.CompartmentObjects;
import io.flexc.linker.LinuxLinkerScript;
import io.flexc.linker.SharedSymbol;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.transformer.SharedData;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code flexc transform} and {@code flexc build} share: the sources rewritten for a
 * configuration, the backend's gates and runtime generated (and compiled with the application's
 * flags), the linker script, and the report, all in one output directory.
 */
final class Transformation {

  /** The transformer's report and the compilations of the generated gates and runtime. */
  record Result(TransformReport report, List<Compiler.Job> gateJobs) {}

  private Transformation() {}

  static Result run(Application application, Backend backend, Map<String, Integer> compartmentOf,
      Transformer.Options options, Path directory) throws IOException, InterruptedException {
    TransformReport report = Transformer.transform(application, compartmentOf, options, directory);
    List<Compiler.Job> gateJobs = writeGates(backend, report, options, directory);
    Files.writeString(directory.resolve("report.json"), Json.write(TransformReportWriter.json(report)) + "\n");
    try (PrintWriter text = new PrintWriter(
        Files.newBufferedWriter(directory.resolve("report.txt"), StandardCharsets.UTF_8))) {
      TransformReportWriter.summary(report, text);
    }
    return new Result(report, gateJobs);
  }

  /**
   * The backend's gates and runtime into gates/, compiled into objects/flexc/ when compiling, and
   * the linker script into link/linux.ld. Link in OUT with {@code gcc -T link/linux.ld $(find
   * objects -name '*.o') gates/*.ld} (fcall's gates are a script of aliases).
   */
  private static List<Compiler.Job> writeGates(Backend backend, TransformReport report, Transformer.Options options,
      Path directory) throws IOException, InterruptedException {
    Path gates = directory.resolve("gates");
    List<GeneratedSource> sources;
    if (backend == Backend.FCALL) {
      sources = FcallGates.write(report.gates(), gates);
    } else if (backend == Backend.MPK) {
      sources = MpkGates.write(report.gates(), compartmentNames(report).size(), mainCompartment(report), gates);
    } else if (backend == Backend.PROC) {
      sources = ProcGates.write(report.gates(), compartmentNames(report), mainCompartment(report), gates);
    } else {
      Files.writeString(directory.resolve("gates.txt"),
          "The " + backend.label() + " backend's gates are not generated yet; report.json lists them.\n");
      return List.of();
    }
    if (!options.objectLevel()) {
      return List.of();
    }
    writeLinkerScript(report, directory);
    List<Compiler.Job> compileJobs = new ArrayList<>();
    for (GeneratedSource source : sources) {
      CompileCommand command = new CompileCommand(directory, List.of("gcc", "-O2"));
      Path quote = null;
      if (source.compileLike().isPresent()) {
        Path like = source.compileLike().get();
        command = report.files().stream().filter(f -> f.original().equals(like)).findFirst()
            .map(TransformReport.FileOutcome::command).orElse(command);
        quote = like.toAbsolutePath().getParent();
      }
      List<String> words = new ArrayList<>(command.compiler());
      words.addAll(List.of("-Wall", "-Wextra", "-I", gates.toString()));
      Path object = directory.resolve("objects/flexc").resolve(source.file().getFileName() + ".o");
      compileJobs.add(new Compiler.Job(new CompileCommand(command.directory(), words), source.file(), object, quote));
    }
    for (Compiler.Result result : new Compiler(options.parallelism()).compileAll(compileJobs)) {
      if (!result.succeeded() || result.messages().contains("warning")) {
        throw new IOException("generated " + result.job().source().getFileName() + " does not compile cleanly:\n"
            + result.messages());
      }
    }
    return compileJobs;
  }

  static int mainCompartment(TransformReport report) {
    return report.mainLibrary().map(report.compartmentOf()::get).orElse(0);
  }

  /** Each compartment's libraries joined with '+', by compartment number: how reports name them. */
  static List<String> compartmentNames(TransformReport report) {
    Map<Integer, List<String>> libraries = new TreeMap<>();
    new TreeMap<>(report.compartmentOf()).forEach((library, k) ->
        libraries.computeIfAbsent(k, c -> new ArrayList<>()).add(library));
    return libraries.values().stream().map(names -> String.join("+", names)).toList();
  }

  private static void writeLinkerScript(TransformReport report, Path directory) throws IOException {
    Map<Integer, List<Path>> objects = new TreeMap<>();
    Map<Path, Path> objectOf = new HashMap<>();
    for (TransformReport.FileOutcome file : report.files()) {
      // Named as a link run in OUT names them: ld matches input files by the name it was given.
      file.object().map(directory::relativize).ifPresent(object -> {
        objects.computeIfAbsent(report.compartmentOf().get(file.library()), k -> new ArrayList<>()).add(object);
        objectOf.put(file.original().toAbsolutePath().normalize(), object);
      });
    }
    List<CompartmentObjects> compartments = new ArrayList<>();
    objects.forEach((k, list) -> compartments.add(new CompartmentObjects(k, list)));
    List<SharedSymbol> shared = new ArrayList<>();
    for (SharedData data : report.shared()) {
      if (data instanceof SharedData.Global global && global.file() != null) {
        Path object = objectOf.get(global.file().toAbsolutePath().normalize());
        if (object != null) {
          shared.add(new SharedSymbol(object, global.symbol()));
        }
      }
    }
    Path script = directory.resolve("link/linux.ld");
    Files.createDirectories(script.getParent());
    Files.writeString(script, LinuxLinkerScript.generate(compartments, shared, "flexc"));
  }
}
