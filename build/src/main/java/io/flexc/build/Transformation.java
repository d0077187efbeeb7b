package io.flexc.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.GateSettings;
import io.flexc.backends.GeneratedGates;
import io.flexc.backends.GeneratedSource;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.backends.MpkGates;
import io.flexc.backends.Sharing;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.Gate;
import io.flexc.model.SharedData;
import io.flexc.transformer.GatePlan;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code flexc transform} and {@code flexc build} share: the sources rewritten for a
 * configuration, the backend's gates and runtime generated (and compiled with the application's
 * flags), the linker script, and the report, all in one output directory.
 */
public final class Transformation {

  private static final String GATES = "gates";

  /** The transformer's report, the settings its gates were generated with and their compilations. */
  public record Result(TransformReport report, GateSettings settings, List<Compiler.Job> gateJobs,
      List<String> linkerFlags) {}

  /** What the transform stage gives: the sources rewritten, with the backend and settings the next stages use. */
  record Transformed(IsolationBackend backend, Transformer.Options options, GateSettings settings,
      TransformReport report, DeclaredTrust trust) {}

  private Transformation() {}

  /** The stages from the sources to the gates' objects and the linker script, into {@code directory}. */
  public static Result run(Application application, Backend model, MpkGates.StackMode stacks,
      Map<String, Integer> compartmentOf, List<String> violations, Transformer.Options options, Path directory)
      throws IOException, InterruptedException {
    return run(application, model, stacks, Sharing.STATIC, compartmentOf, violations, options, directory);
  }

  /** {@link #run} with shared memory from {@code sharing} too (proc's measured sharing). */
  public static Result run(Application application, Backend model, MpkGates.StackMode stacks, Sharing sharing,
      Map<String, Integer> compartmentOf, List<String> violations, Transformer.Options options, Path directory)
      throws IOException, InterruptedException {
    Transformed transformed = transform(application, model, stacks, sharing, compartmentOf, options, directory);
    GeneratedGates gates = generateGates(transformed, directory);
    List<Compiler.Job> gateJobs = compileGates(transformed, gates, directory);
    List<String> linkerFlags = writeLinkerScripts(transformed, gates, gateJobs, directory);
    writeReports(transformed.report(), transformed.trust(), sharing, violations, directory);
    return new Result(transformed.report(), transformed.settings(), gateJobs, linkerFlags);
  }

  private static Transformed transform(Application application, Backend model, MpkGates.StackMode stacks,
      Sharing sharing, Map<String, Integer> compartmentOf, Transformer.Options given, Path directory)
      throws IOException, InterruptedException {
    IsolationBackend backend = IsolationBackends.of(model);
    Transformer.Options options = backend.transformOptions(given, compartmentOf);
    Path sources = application.spec().directory();
    TransformReport report = MeasuredSharing.apply(Stage.TRANSFORM.run(sources,
        () -> Transformer.transform(application, compartmentOf, options, directory, plan -> checkGates(backend, plan,
            sources))), sharing);
    DeclaredTrust trust = DeclaredTrust.of(application.spec().trust(), report.compartmentOf(), backend);
    GateSettings settings = new GateSettings(compartmentNames(report), mainCompartment(report), stacks,
        application.spec().build().channels(), trust.acrossCompartments(), sharing, resultsOnCrash(application));
    return new Transformed(backend, options, settings, report, trust);
  }

  /** What each [API] function with an {@code (on-crash, N)} answers when its compartment has crashed. */
  private static Map<String, Long> resultsOnCrash(Application application) {
    Map<String, Long> results = new TreeMap<>();
    application.libraries().values().forEach(metadata -> metadata.value().api().forEach(function ->
        function.resultOnCrash().ifPresent(result -> results.put(function.symbol(), result))));
    return results;
  }

  /**
   * Stops the build before the rewrite when the backend cannot carry some of the gates the
   * configuration needs, naming each with the files that call it.
   */
  private static void checkGates(IsolationBackend backend, GatePlan plan, Path sources) throws StageFailure {
    List<String> lines = new ArrayList<>();
    int refused = 0;
    for (Gate gate : plan.gates()) {
      List<String> refusals = backend.refusals(List.of(gate));
      if (!refusals.isEmpty()) {
        refused++;
        String callers = String.join(", ", plan.callers().getOrDefault(gate.name(), List.of()).stream()
            .map(Path::toString).toList());
        refusals.forEach(refusal -> lines.add("  " + refusal + " (called from " + callers + ")"));
      }
    }
    if (refused > 0) {
      throw new StageFailure(Stage.CHECK_GATES, sources, "the " + backend.label() + " backend cannot carry "
          + Counted.of(refused, "gate") + " of the " + plan.gates().size() + " this configuration needs; nothing was"
          + " rewritten:\n" + String.join("\n", lines));
    }
  }

  /** The backend's gates and runtime into gates/. */
  private static GeneratedGates generateGates(Transformed transformed, Path directory)
      throws IOException, InterruptedException {
    return Stage.GENERATE_GATES.run(Path.of(GATES), () -> transformed.backend()
        .writeGates(transformed.report(), transformed.settings(), directory.resolve(GATES)));
  }

  /**
   * The gates and runtime compiled into objects/flexc/ with the application's flags, when
   * compiling; each must compile without a warning.
   */
  private static List<Compiler.Job> compileGates(Transformed transformed, GeneratedGates generated, Path directory)
      throws IOException, InterruptedException {
    Transformer.Options options = transformed.options();
    if (!options.objectLevel()) {
      return List.of();
    }
    TransformReport report = transformed.report();
    Path gates = directory.resolve(GATES);
    List<Compiler.Job> compileJobs = new ArrayList<>();
    for (GeneratedSource source : generated.sources()) {
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
      words.addAll(transformed.backend().gateCompilerFlags());
      Path object = directory.resolve("objects/flexc").resolve(gates.relativize(source.file()) + ".o");
      compileJobs.add(new Compiler.Job(new CompileCommand(command.directory(), words), source.file(), object, quote));
    }
    List<Compiler.Result> results =
        Stage.COMPILE_GATES.run(Path.of(GATES), () -> options.compiler(directory).compileAll(compileJobs));
    for (Compiler.Result result : results) {
      if (!result.succeeded() || result.messages().contains("warning")) {
        throw new StageFailure(Stage.COMPILE_GATES, directory.relativize(result.job().source()),
            "does not compile cleanly:\n" + result.messages());
      }
    }
    return compileJobs;
  }

  /**
   * The backend's linker scripts into link/ (e.g. link/linux.ld: link in OUT with {@code gcc -T
   * link/linux.ld $(find objects -name '*.o') gates/*.ld}, fcall's gates being a script of
   * aliases) when compiling, and the backend's linker flags into link/flags; the flags.
   */
  private static List<String> writeLinkerScripts(Transformed transformed, GeneratedGates generated,
      List<Compiler.Job> gateJobs, Path directory) throws IOException, InterruptedException {
    return Stage.WRITE_LINKER_SCRIPTS.run(Path.of("link"), () -> {
      if (transformed.options().objectLevel()) {
        Map<Path, Path> objectOfSource = new LinkedHashMap<>();
        gateJobs.forEach(job -> objectOfSource.put(job.source(), job.object()));
        generated.layout().write(objectOfSource, directory);
      }
      List<String> linkerFlags = transformed.backend().linkerFlags(transformed.settings());
      if (!linkerFlags.isEmpty()) {
        // For links made by hand: gcc -T link/linux.ld ... $(cat link/flags)
        Files.createDirectories(directory.resolve("link"));
        Files.writeString(directory.resolve("link/flags"), String.join(" ", linkerFlags) + "\n");
      }
      return linkerFlags;
    });
  }

  /**
   * The transform's report.json and report.txt, with the declared trust, the measured sharing and
   * the policy violations the build was allowed.
   */
  private static void writeReports(TransformReport report, DeclaredTrust trust, Sharing sharing,
      List<String> violations, Path directory)
      throws IOException, InterruptedException {
    Stage.WRITE_REPORTS.run(Path.of("report.json"), () -> {
      ObjectNode json = TransformReportWriter.json(report, Optional.of(directory));
      trust.put(json);
      PolicyViolations.put(json, violations);
      MeasuredSharing.put(json, sharing);
      Files.writeString(directory.resolve("report.json"), Json.write(json) + "\n");
      try (PrintWriter text = new PrintWriter(
          Files.newBufferedWriter(directory.resolve("report.txt"), StandardCharsets.UTF_8))) {
        TransformReportWriter.summary(report, text);
        trust.list(text);
        PolicyViolations.list(violations, text);
      }
      return null;
    });
  }

  /** Where locals that cross a gate live when nothing else says: on the heap for private stacks, else the DSS. */
  public static SharedData.Placement sharedLocals(MpkGates.StackMode stacks) {
    return stacks == MpkGates.StackMode.PRIVATE ? SharedData.Placement.HEAP : SharedData.Placement.DSS;
  }

  public static int mainCompartment(TransformReport report) {
    return report.mainLibrary().map(report.compartmentOf()::get).orElse(0);
  }

  /** Each compartment's libraries joined with '+', by compartment number: how reports name them. */
  public static List<String> compartmentNames(TransformReport report) {
    Map<Integer, List<String>> libraries = new TreeMap<>();
    new TreeMap<>(report.compartmentOf()).forEach((library, k) ->
        libraries.computeIfAbsent(k, c -> new ArrayList<>()).add(library));
    return libraries.values().stream().map(names -> String.join("+", names)).toList();
  }

}
