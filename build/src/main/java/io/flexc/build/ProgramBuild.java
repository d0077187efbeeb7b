package io.flexc.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.GateSettings;
import io.flexc.backends.HardeningFlags;
import io.flexc.backends.IsolationBackend;
import io.flexc.backends.IsolationBackends;
import io.flexc.backends.MpkGates;
import io.flexc.backends.PkruWriteScan;
import io.flexc.backends.Sharing;
import io.flexc.model.Application;
import io.flexc.model.Backend;
import io.flexc.model.Configuration;
import io.flexc.model.HardeningMechanism;
import io.flexc.transformer.TransformReport;
import io.flexc.transformer.Transformer;
import io.flexc.transformer.objects.CompileCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds one chosen configuration of an application into an output directory — transform, gates,
 * compile with each library's hardening flags, link, Makefile and summary — as {@code flexc
 * build} and {@code flexc explore --measure} do. The directory is written completely or not at all.
 */
public final class ProgramBuild {

  public static final String MANIFEST = "build.json";
  public static final String SUMMARY = "summary.txt";

  /**
   * How the configuration came to be, for the summary: {@code violations}, the policy rules a
   * configuration given by hand breaks, built as the user allowed; {@code gateChoice}, for a solved
   * one, the gate weights used and the crossings of the choice and its runner-up.
   */
  public record Provenance(List<String> violations, List<String> gateChoice) {
    public static final Provenance NONE = new Provenance(List.of(), List.of());

    public Provenance {
      violations = List.copyOf(violations);
      gateChoice = List.copyOf(gateChoice);
    }
  }

  /**
   * What a build used and found, for its summary; {@code pkruScan} for mpk programs only, {@code
   * cache} when the build used the cache of compilations; {@code sharing} where its shared memory
   * came from besides the transformer's rules.
   */
  public record Built(HardeningFlags flags, TransformReport report, Optional<PkruWriteScan.Result> pkruScan,
      Provenance provenance, Optional<CompileCache.Statistics> cache, Sharing sharing) {}

  private ProgramBuild() {}

  /**
   * Why {@code configuration} cannot be built on {@code backend} with the installed gcc, one
   * message per reason; empty when it can.
   */
  public static List<String> refusals(Application application, Backend backend, Configuration configuration)
      throws IOException, InterruptedException {
    List<HardeningMechanism> used = used(application, configuration);
    List<String> refusals = new ArrayList<>();
    HardeningFlags.unsupported(used, "gcc").forEach((name, why) ->
        refusals.add("the installed gcc cannot provide " + name + ": " + why));
    if (!refusals.isEmpty()) {
      refusals.add("leave it out with --hardening (allowed now: " + String.join(",", mechanisms(application).keySet()) + ")");
    }
    for (HardeningMechanism mechanism : used) {
      ProgramLink.whyCannotLink(backend, mechanism).ifPresent(why -> refusals.add(mechanism.name()
          + " cannot be used with the " + backend.label() + " backend: " + why + "; use fcall, or leave it out"));
    }
    return refusals;
  }

  /**
   * The build's stages into {@code target}: transform, gates, linker scripts and their compilation
   * ({@link Transformation}), then, for a backend that makes one program, link and check it, then
   * the reports. A failing stage throws a {@link StageFailure} and {@code target} is left as it was.
   */
  public static Built build(Application application, Backend model, MpkGates.StackMode stacks, Configuration configuration,
      Provenance provenance, int jobs, BuildTarget target, StepProgress progress)
      throws IOException, InterruptedException {
    return build(application, model, stacks, configuration, provenance, jobs, Optional.empty(), target, progress);
  }

  /**
   * {@link #build} taking unchanged compilations from {@code cache}, when given, and trimming it to
   * its size afterwards, whether the build succeeded or not: what it compiled is kept for the next.
   */
  public static Built build(Application application, Backend model, MpkGates.StackMode stacks, Configuration configuration,
      Provenance provenance, int jobs, Optional<CompileCache> cache, BuildTarget target, StepProgress progress)
      throws IOException, InterruptedException {
    return build(application, model, stacks, Sharing.STATIC, configuration, provenance, jobs, cache, target, progress);
  }

  /** {@link #build} with shared memory from {@code sharing} too (proc's measured sharing). */
  public static Built build(Application application, Backend model, MpkGates.StackMode stacks, Sharing sharing,
      Configuration configuration, Provenance provenance, int jobs, Optional<CompileCache> cache, BuildTarget target,
      StepProgress progress) throws IOException, InterruptedException {
    try {
      return buildInto(application, model, stacks, sharing, configuration, provenance, jobs, cache, target, progress);
    } finally {
      if (cache.isPresent()) {
        cache.get().trim();
      }
    }
  }

  private static Built buildInto(Application application, Backend model, MpkGates.StackMode stacks, Sharing sharing,
      Configuration configuration, Provenance provenance, int jobs, Optional<CompileCache> cache, BuildTarget target,
      StepProgress progress) throws IOException, InterruptedException {
    IsolationBackend backend = IsolationBackends.of(model);
    HardeningFlags flags = HardeningFlags.of(configuration.hardening(), mechanisms(application));
    Transformer.Options options =
        new Transformer.Options(Transformation.sharedLocals(stacks), true, jobs, flags.compilerFlags()).withCache(cache);
    List<Built> built = new ArrayList<>();
    target.replace(directory -> {
      progress.step("rewriting and compiling " + application.libraryNames().size() + " libraries, generating "
          + backend.label() + " gates");
      Transformation.Result transformed =
          Transformation.run(application, model, stacks, sharing, configuration.compartmentOf(), provenance.violations(),
              options,
              directory);
      Optional<ProgramLink> link = Optional.empty();
      Optional<PkruWriteScan.Result> scan = Optional.empty();
      if (backend.images().isEmpty()) {
        link = Optional.of(link(application, backend, flags, transformed, directory, progress));
        scan = checkProgram(application, backend, transformed.settings(), directory, progress);
      }
      Built result = new Built(flags, transformed.report(), scan, provenance, cache.map(CompileCache::statistics),
          sharing);
      writeReports(application, model, configuration, transformed, link, result, target.given(), directory);
      built.add(result);
    });
    return built.getFirst();
  }

  private static ProgramLink link(Application application, IsolationBackend backend, HardeningFlags flags,
      Transformation.Result transformed, Path directory, StepProgress progress)
      throws IOException, InterruptedException {
    String program = ProgramLink.program(application.name());
    progress.step("linking " + program);
    return Stage.LINK.run(Path.of(program),
        () -> ProgramLink.link(application, backend, flags, transformed.linkerFlags(), directory));
  }

  /** What the backend checks in the linked program (mpk: its PKRU writes), if anything. */
  private static Optional<PkruWriteScan.Result> checkProgram(Application application, IsolationBackend backend,
      GateSettings settings, Path directory, StepProgress progress) throws IOException, InterruptedException {
    if (backend.programCheck().isEmpty()) {
      return Optional.empty();
    }
    String program = ProgramLink.program(application.name());
    progress.step("checking " + backend.programCheck().get() + " of " + program);
    return Stage.CHECK_PROGRAM.run(Path.of(program),
        () -> backend.checkProgram(directory.resolve(program), settings));
  }

  /** The Makefile (for a linked program), configuration.json, build.json, the runner script and summary.txt. */
  private static void writeReports(Application application, Backend model, Configuration configuration,
      Transformation.Result transformed, Optional<ProgramLink> link, Built built, Path given, Path directory)
      throws IOException, InterruptedException {
    IsolationBackend backend = IsolationBackends.of(model);
    String program = ProgramLink.program(application.name());
    Stage.WRITE_REPORTS.run(Path.of(SUMMARY), () -> {
      if (link.isPresent()) {
        Files.writeString(directory.resolve("Makefile"), BuildMakefile.text(transformed, link.get(), directory));
      }
      Files.writeString(directory.resolve("configuration.json"), Json.write(configurationJson(configuration)) + "\n");
      Files.writeString(directory.resolve(MANIFEST),
          Json.write(manifest(application, backend, built.provenance().violations())) + "\n");
      if (backend.running(program) instanceof IsolationBackend.Running.ThroughScript runner) {
        Path script = directory.resolve(runner.file());
        Files.writeString(script, runner.text());
        script.toFile().setExecutable(true);
      }
      try (PrintWriter summary =
          new PrintWriter(Files.newBufferedWriter(directory.resolve(SUMMARY), StandardCharsets.UTF_8))) {
        summarize(application, model, configuration, built, given, summary);
      }
      return null;
    });
  }

  public static void summarize(Application application, Backend backend, Configuration configuration, Built built,
      Path target, PrintWriter out) {
    TransformReport report = built.report();
    out.printf("%s on %s: %s, %s, %d shared data%n", application.name(), backend.label(),
        Counted.of(configuration.compartmentCount(), "compartment"), Counted.of(report.gates().size(), "gate"),
        report.shared().size());
    TextTable table = new TextTable("COMPARTMENT", "LIBRARY", "HARDENING", "FLAGS");
    for (String library : application.libraryNames()) {
      Set<String> hardening = configuration.hardeningOf(library);
      table.row(Integer.toString(configuration.compartmentOf(library)), library,
          hardening.isEmpty() ? "-" : String.join(", ", new TreeSet<>(hardening)),
          String.join(" ", built.flags().compilerFlags().getOrDefault(library, List.of("-"))));
    }
    table.print(out);
    Map<String, Long> kinds = report.shared().stream()
        .collect(Collectors.groupingBy(data -> data.getClass().getSimpleName().toLowerCase(), TreeMap::new,
            Collectors.counting()));
    DeclaredTrust.of(application.spec().trust(), built.report().compartmentOf(), IsolationBackends.of(backend))
        .list(out);
    PolicyViolations.list(built.provenance().violations(), out);
    built.provenance().gateChoice().forEach(out::println);
    TransformReportWriter.prunedAndRouted(report, out);
    if (built.sharing().source() != Sharing.Source.STATIC) {
      out.println(MeasuredSharing.summary(built.sharing()));
    }
    if (!kinds.isEmpty()) {
      out.println("shared: " + kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(Collectors.joining(", ")));
    }
    // Compilations taken from the cache, and those run (and kept for the next build).
    built.cache().ifPresent(cache -> out.println("compile cache: " + Counted.of(cache.hits(), "hit") + ", "
        + Counted.of(cache.misses(), "miss", "misses")));
    IsolationBackend isolation = IsolationBackends.of(backend);
    if (isolation.images().isPresent()) {
      isolation.imagesSummary(configuration.compartmentCount(), target).forEach(out::println);
      return;
    }
    out.println("program:        " + target.resolve(ProgramLink.program(application.name())));
    out.println("run it:         ./flexc run " + target);
    out.println("rebuild it:     make -C " + target);
    out.println("sources, gates: " + target.resolve("src") + ", " + target.resolve("gates"));
    out.println("linker script:  " + target.resolve("link/linux.ld"));
    out.println("report:         " + target.resolve("report.txt"));
    built.pkruScan().ifPresent(scan -> {
      out.println("PKRU writes:    " + scan.checkedWrites() + ", every one a gate's checked switch");
      if (!scan.restores().isEmpty()) {
        out.println("not checked:    xrstor, which can restore PKRU, at " + scan.restores().stream()
            .map(PkruWriteScan.Finding::where).collect(Collectors.joining(", ")));
      }
    });
  }

  private static Map<String, HardeningMechanism> mechanisms(Application application) {
    Map<String, HardeningMechanism> mechanisms = new TreeMap<>();
    application.mechanisms().forEach((name, located) -> mechanisms.put(name, located.value()));
    return mechanisms;
  }

  private static List<HardeningMechanism> used(Application application, Configuration configuration) {
    Map<String, HardeningMechanism> mechanisms = mechanisms(application);
    return configuration.hardening().values().stream().flatMap(Set::stream).distinct().sorted()
        .map(mechanisms::get).toList();
  }

  private static ObjectNode configurationJson(Configuration configuration) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    Json.putConfiguration(node, configuration);
    return node;
  }

  private static ObjectNode manifest(Application application, IsolationBackend backend, List<String> violations) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("application", application.name());
    node.put("backend", backend.label());
    PolicyViolations.put(node, violations);
    if (backend.images().isPresent()) {
      node.put("images", backend.images().get());
      return node;
    }
    String program = ProgramLink.program(application.name());
    node.put("program", program);
    if (backend.running(program) instanceof IsolationBackend.Running.ThroughScript runner) {
      node.put("runner", runner.file());
    }
    return node;
  }
}
