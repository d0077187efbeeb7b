package io.flexc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexc.backends.FcallGates;
import io.flexc.backends.GeneratedSource;
import io.flexc.backends.MpkGates;
import io.flexc.backends.ProcGates;
import io.flexc.linker.CompartmentObjects;
import io.flexc.linker.LinuxLinkerScript;
import io.flexc.linker.SharedSymbol;
import io.flexc.transformer.SharedData;
import io.flexc.model.Backend;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import io.flexc.transformer.SharedData.Placement;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import io.flexc.transformer.objects.CompileCommand;
import io.flexc.transformer.objects.Compiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flexc transform APP_DIR --config C.json|--solve -o OUT}: the application's sources
 * rewritten for a configuration, compiled and checked against the compiler, with the gates.
 */
@Command(
    name = "transform",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite an application's C sources so that every cross-compartment call goes through a gate.",
      "OUT gets src/ (the rewritten sources), objects/ (compiled, cross-checked, residual references",
      "redirected with objcopy), gates/ (the backend's stubs and runtime: fcall, mpk, proc), link/linux.ld",
      "(page-aligned sections per compartment), report.json and report.txt;",
      "it is written completely or not at all, and the input is never modified.",
      "Exit 0 on success, 1 on invalid input or sources that do not compile, 2 on usage errors,",
      "3 when --solve finds the policy unsatisfiable."
    })
final class TransformCommand implements Callable<Integer> {

  @Mixin private ProblemOptions problemOptions;

  @Option(names = "--config", paramLabel = "CONFIG.json",
      description = "The configuration: flexc solve --json output, or {\"compartments\": [[libs...], ...]}.")
  private Path config;

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
    Map<String, Integer> compartmentOf;
    if (solve) {
      SolveResult result = ConfigurationSolver.solve(problem.get(), SolveOptions.fewestCompartments(Duration.ofSeconds(60)));
      if (!(result instanceof SolveResult.Solved solved)) {
        err.println("flexc: no configuration to transform for: run flexc solve for the reason");
        return result instanceof SolveResult.Unsatisfiable ? Flexc.EXIT_UNSATISFIABLE : Flexc.EXIT_TIMEOUT;
      }
      compartmentOf = solved.configuration().compartmentOf();
    } else {
      Optional<Map<String, Integer>> read = readConfiguration(config, problem.get().application().libraryNames(), err);
      if (read.isEmpty()) {
        return Flexc.EXIT_INVALID_INPUT;
      }
      compartmentOf = read.get();
    }
    Backend backend = problem.get().backend();
    Placement placement = placement(backend);
    Transformer.Options options = new Transformer.Options(placement, !sourceOnly, jobs);
    TransformReport[] report = new TransformReport[1];
    try {
      AtomicDirectory.write(output, directory -> {
        report[0] = Transformer.transform(problem.get().application(), compartmentOf, options, directory);
        writeGates(backend, report[0], directory);
        Files.writeString(directory.resolve("report.json"), Json.write(TransformReportWriter.json(report[0])) + "\n");
        try (PrintWriter text = new PrintWriter(Files.newBufferedWriter(directory.resolve("report.txt"), StandardCharsets.UTF_8))) {
          TransformReportWriter.summary(report[0], text);
        }
      });
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      err.println("flexc: nothing was written to " + output);
      return Flexc.EXIT_INVALID_INPUT;
    }
    PrintWriter out = spec.commandLine().getOut();
    TransformReportWriter.summary(report[0], out);
    out.println("written to " + output);
    out.flush();
    return 0;
  }

  private Placement placement(Backend backend) {
    if (sharedLocals == null) {
      return Placement.DSS;
    }
    return switch (sharedLocals) {
      case "dss" -> Placement.DSS;
      case "heap" -> Placement.HEAP;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--shared-locals must be dss or heap");
    };
  }

  /**
   * The backend's gates and runtime into gates/, compiled into objects/flexc/ when compiling, and
   * the linker script into link/linux.ld. Link in OUT with {@code gcc -T link/linux.ld $(find
   * objects -name '*.o') gates/*.ld} (fcall's gates are a script of aliases).
   */
  private void writeGates(Backend backend, TransformReport report, Path directory)
      throws IOException, InterruptedException {
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
      return;
    }
    if (sourceOnly) {
      return;
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
    for (Compiler.Result result : new Compiler(this.jobs).compileAll(compileJobs)) {
      if (!result.succeeded() || result.messages().contains("warning")) {
        throw new IOException("generated " + result.job().source().getFileName() + " does not compile cleanly:\n"
            + result.messages());
      }
    }
  }

  private static int mainCompartment(TransformReport report) {
    return report.mainLibrary().map(report.compartmentOf()::get).orElse(0);
  }

  /** Each compartment's libraries joined with '+', by compartment number: how reports name them. */
  private static List<String> compartmentNames(TransformReport report) {
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
    Files.writeString(script, LinuxLinkerScript.generate(compartments, shared, "flexc transform"));
  }

  /**
   * A configuration file: {@code flexc solve --json}'s {@code "assignment"} (library to
   * compartment) or {@code "compartments"}, a list of library lists; every library placed once.
   */
  static Optional<Map<String, Integer>> readConfiguration(Path file, List<String> libraries, PrintWriter err) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      err.println(file + ": error: not a readable JSON file: " + e.getMessage());
      return Optional.empty();
    }
    Map<String, Integer> compartmentOf = new HashMap<>();
    if (root != null && root.has("assignment")) {
      root.get("assignment").properties().forEach(e -> compartmentOf.put(e.getKey(), e.getValue().asInt(-1)));
    } else if (root != null && root.has("compartments") && root.get("compartments").isArray()) {
      int index = 0;
      for (JsonNode compartment : root.get("compartments")) {
        for (JsonNode library : compartment) {
          if (compartmentOf.put(library.asText(), index) != null) {
            err.println(file + ": error: library '" + library.asText() + "' is placed twice");
            return Optional.empty();
          }
        }
        index++;
      }
    } else {
      err.println(file + ": error: expected an \"assignment\" object or a \"compartments\" list");
      return Optional.empty();
    }
    for (String library : libraries) {
      if (!compartmentOf.containsKey(library) || compartmentOf.get(library) < 0) {
        err.println(file + ": error: library '" + library + "' is not placed in any compartment");
        return Optional.empty();
      }
    }
    for (String placed : compartmentOf.keySet()) {
      if (!libraries.contains(placed)) {
        err.println(file + ": error: '" + placed + "' is not a library of this application");
        return Optional.empty();
      }
    }
    return Optional.of(compartmentOf);
  }
}
