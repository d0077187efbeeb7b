package io.flexc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.EptGates;
import io.flexc.backends.HardeningFlags;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.Configuration;
import io.flexc.model.HardeningMechanism;
import io.flexc.solver.ConfigurationSolver;
import io.flexc.solver.PlacementProblem;
import io.flexc.solver.SolveOptions;
import io.flexc.solver.SolveResult;
import io.flexc.transformer.SharedData;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
      "Build an application split into compartments: check, solve (or take --config), rewrite the",
      "sources, generate gates, runtime and linker script, compile with each library's hardening",
      "flags and link. OUT (default flexc-out/NAME) gets bin/NAME, a Makefile that repeats the build",
      "without flexc, summary.txt, build.json, configuration.json and what flexc transform writes;",
      "it is written completely or not at all, and the input is never modified.",
      "Exit 0 on success, 1 on invalid input or a failed compilation, 2 on usage errors,",
      "3 when the policy is unsatisfiable, 4 when the solver runs out of time."
    })
final class BuildCommand implements Callable<Integer> {

  static final String MANIFEST = "build.json";

  @Mixin private ProblemOptions problemOptions;

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
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err, quiet);
    progress.step("checking the metadata");
    Optional<PlacementProblem> loaded = problemOptions.load(spec.commandLine());
    if (loaded.isEmpty()) {
      return Flexc.EXIT_INVALID_INPUT;
    }
    PlacementProblem problem = loaded.get();
    Application application = problem.application();
    Configuration configuration;
    if (config == null) {
      progress.step("solving");
      SolveResult result = ConfigurationSolver.solve(problem, SolveOptions.fewestCompartments(Duration.ofSeconds(60)));
      if (!(result instanceof SolveResult.Solved solved)) {
        err.println("flexc: no configuration to build: run flexc solve " + problemOptions.application + " for the reason");
        return result instanceof SolveResult.Unsatisfiable ? Flexc.EXIT_UNSATISFIABLE : Flexc.EXIT_TIMEOUT;
      }
      configuration = solved.configuration();
    } else {
      progress.step("reading " + config);
      Optional<Configuration> read = readConfiguration(application, err);
      if (read.isEmpty()) {
        return Flexc.EXIT_INVALID_INPUT;
      }
      configuration = read.get();
    }
    progress.done();
    Map<String, HardeningMechanism> mechanisms = new TreeMap<>();
    application.mechanisms().forEach((name, located) -> mechanisms.put(name, located.value()));
    List<HardeningMechanism> used = configuration.hardening().values().stream().flatMap(Set::stream).distinct()
        .sorted().map(mechanisms::get).toList();
    Map<String, String> unsupported = HardeningFlags.unsupported(used, "gcc");
    if (!unsupported.isEmpty()) {
      unsupported.forEach((name, why) -> err.println("flexc: the installed gcc cannot provide " + name + ": " + why));
      err.println("flexc: leave it out with --hardening (allowed now: " + String.join(",", mechanisms.keySet()) + ")");
      return Flexc.EXIT_INVALID_INPUT;
    }
    Backend backend = problem.backend();
    List<String> withRuntime = used.stream().filter(m -> !m.linkerFlags().isEmpty()).map(HardeningMechanism::name).toList();
    if (backend == Backend.PROC && !withRuntime.isEmpty()) {
      err.println("flexc: " + String.join(", ", withRuntime) + " cannot be used with the proc backend: its run-time"
          + " library runs in every compartment's process and reads the instrumented libraries' globals, which proc"
          + " unmaps outside their compartment; use fcall or mpk, or leave it out with --hardening");
      return Flexc.EXIT_INVALID_INPUT;
    }
    HardeningFlags flags = HardeningFlags.of(configuration.hardening(), mechanisms);
    Path target = output != null ? output : Path.of("flexc-out", application.name());
    Transformer.Options options = new Transformer.Options(SharedData.Placement.DSS, true, jobs, flags.compilerFlags());
    TransformReport[] report = new TransformReport[1];
    try {
      AtomicDirectory.write(target, directory -> {
        progress.step("rewriting and compiling " + application.libraryNames().size() + " libraries, generating "
            + backend.label() + " gates");
        Transformation.Result transformed =
            Transformation.run(application, backend, configuration.compartmentOf(), options, directory);
        report[0] = transformed.report();
        if (backend != Backend.EPT) {
          progress.step("linking " + ProgramLink.program(application.name()));
          ProgramLink link = ProgramLink.link(application.name(), backend, flags, directory);
          Files.writeString(directory.resolve("Makefile"), BuildMakefile.text(transformed, link, directory));
        }
        Files.writeString(directory.resolve("configuration.json"),
            Json.write(configurationJson(configuration)) + "\n");
        Files.writeString(directory.resolve(MANIFEST), Json.write(manifest(application, backend)) + "\n");
        if (backend == Backend.MPK) {
          Path script = directory.resolve(QemuRunner.SCRIPT);
          Files.writeString(script, QemuRunner.script(ProgramLink.program(application.name())));
          script.toFile().setExecutable(true);
        }
        try (PrintWriter summary = new PrintWriter(
            Files.newBufferedWriter(directory.resolve("summary.txt"), StandardCharsets.UTF_8))) {
          summarize(application, backend, configuration, flags, transformed.report(), target, summary);
        }
      });
    } catch (IOException e) {
      err.println("flexc: " + e.getMessage());
      err.println("flexc: nothing was written to " + target);
      return Flexc.EXIT_INVALID_INPUT;
    }
    progress.done();
    PrintWriter out = spec.commandLine().getOut();
    summarize(application, backend, configuration, flags, report[0], target, out);
    out.flush();
    return 0;
  }

  private Optional<Configuration> readConfiguration(Application application, PrintWriter err) throws IOException {
    Optional<Map<String, Integer>> compartments = TransformCommand.readConfiguration(config, application.libraryNames(), err);
    if (compartments.isEmpty()) {
      return Optional.empty();
    }
    JsonNode hardening = Json.MAPPER.readTree(config.toFile()).path("hardening");
    Map<String, Set<String>> chosen = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : hardening.properties()) {
      Set<String> names = new TreeSet<>();
      entry.getValue().forEach(name -> names.add(name.asText()));
      for (String name : names) {
        if (!application.mechanisms().containsKey(name)) {
          err.println(config + ": error: unknown hardening mechanism '" + name + "' for library '" + entry.getKey()
              + "' (known: " + String.join(", ", application.mechanisms().keySet()) + ")");
          return Optional.empty();
        }
      }
      if (!compartments.get().containsKey(entry.getKey())) {
        err.println(config + ": error: hardening for '" + entry.getKey() + "', which is not a library of this application");
        return Optional.empty();
      }
      chosen.put(entry.getKey(), names);
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    application.libraryNames().forEach(library -> ordered.put(library, compartments.get().get(library)));
    return Optional.of(Configuration.numberedInOrder(ordered, chosen));
  }

  private static ObjectNode configurationJson(Configuration configuration) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    Json.putConfiguration(node, configuration);
    return node;
  }

  private static ObjectNode manifest(Application application, Backend backend) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("application", application.name());
    node.put("backend", backend.label());
    if (backend == Backend.EPT) {
      node.put("images", EPT_IMAGES);
      return node;
    }
    node.put("program", ProgramLink.program(application.name()));
    if (backend == Backend.MPK) {
      node.put("runner", QemuRunner.SCRIPT);
    }
    return node;
  }

  private static void summarize(Application application, Backend backend, Configuration configuration,
      HardeningFlags flags, TransformReport report, Path target, PrintWriter out) {
    long shared = report.shared().size();
    out.printf("%s on %s: %d compartments, %d gates, %d shared data%n", application.name(), backend.label(),
        configuration.compartmentCount(), report.gates().size(), shared);
    TextTable table = new TextTable("COMPARTMENT", "LIBRARY", "HARDENING", "FLAGS");
    for (String library : application.libraryNames()) {
      Set<String> hardening = configuration.hardeningOf(library);
      table.row(Integer.toString(configuration.compartmentOf(library)), library,
          hardening.isEmpty() ? "-" : String.join(", ", new TreeSet<>(hardening)),
          String.join(" ", flags.compilerFlags().getOrDefault(library, List.of("-"))));
    }
    table.print(out);
    Map<String, Long> kinds = report.shared().stream()
        .collect(Collectors.groupingBy(data -> data.getClass().getSimpleName().toLowerCase(), TreeMap::new,
            Collectors.counting()));
    if (!kinds.isEmpty()) {
      out.println("shared: " + kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(Collectors.joining(", ")));
    }
    if (backend == Backend.EPT) {
      summarizeImages(configuration, target, out);
      return;
    }
    out.println("program:        " + target.resolve(ProgramLink.program(application.name())));
    out.println("run it:         ./flexc run " + target);
    out.println("rebuild it:     make -C " + target);
    out.println("sources, gates: " + target.resolve("src") + ", " + target.resolve("gates"));
    out.println("linker script:  " + target.resolve("link/linux.ld"));
    out.println("report:         " + target.resolve("report.txt"));
  }

  /** Where an ept build's images are, in build.json: flexc run reads it to say why it cannot run them. */
  static final String EPT_IMAGES = "gates/image_c<k>, link/image_c<k>.ld";

  private static void summarizeImages(Configuration configuration, Path target, PrintWriter out) {
    out.println("images:         one unikernel image per compartment, the call protocol between them over the"
        + " hypervisor's shared memory");
    for (int k = 0; k < configuration.compartmentCount(); k++) {
      out.println("  image " + k + ":      sources " + target.resolve("gates/" + EptGates.imageDirectory(k))
          + ", linker script " + target.resolve("link/" + EptGates.imageDirectory(k) + ".ld"));
    }
    out.println("shared:         protocol " + target.resolve("gates/flexc_rpc.c") + ", transport "
        + target.resolve("gates/" + EptGates.TRANSPORT) + " (-DFLEXC_EPT_KVM or -DFLEXC_EPT_XEN)");
    out.println("checked:        every generated file compiled for Linux with -Wall -Wextra; objects in "
        + target.resolve("objects"));
    out.println("run it:         not here: the images need Unikraft and KVM or Xen; the proc backend runs the same"
        + " protocol as Linux processes");
    out.println("report:         " + target.resolve("report.txt"));
  }

  /** Steps on standard error with the time each took, so a long build shows where it is. */
  private static final class Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private long started;
    private String current;

    Progress(PrintWriter err, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
    }

    void step(String what) {
      finish();
      if (quiet) {
        return;
      }
      current = what;
      started = System.nanoTime();
      err.printf("flexc: %s ... ", what);
      err.flush();
    }

    void done() {
      finish();
    }

    private void finish() {
      if (current != null) {
        err.printf("%.1f s%n", (System.nanoTime() - started) / 1e9);
        err.flush();
        current = null;
      }
    }
  }
}
