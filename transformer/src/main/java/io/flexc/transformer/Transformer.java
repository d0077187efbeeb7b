package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.ObjectCheck;
import io.flexc.transformer.objects.CompileCache;
import io.flexc.transformer.objects.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The transformer's entry point: rewrites an application's C sources for a configuration into a
 * directory ({@code src/} mirrors the sources, {@code objects/} holds the compiled result), and
 * checks the result against the compiler. The stages, each passing an immutable record to the
 * next: {@link ScanSources} → {@link CompileOriginals} (object level) → {@link ResolveOwnership}
 * → {@link PlanGates} (object level; the caller's {@link GatePlan.Check} may stop here) → {@link
 * RewriteSources} → {@link CheckObjects} (object level). With the object level on, every
 * file is compiled before and after the rewrite; references the source rewrite did not reach are
 * redirected in the object with {@code objcopy --redefine-sym}, so no cross-compartment reference
 * escapes a gate.
 */
public final class Transformer {

  /**
   * How to transform: where shared locals go, whether to compile, how many compilers at once, flags
   * added to each library's compile command (its hardening), by library name, and the cache of
   * compilations, if one is used.
   */
  public record Options(Placement sharedLocals, boolean objectLevel, int parallelism,
      Map<String, List<String>> libraryFlags, Optional<CompileCache> cache) {

    public Options {
      libraryFlags = Map.copyOf(libraryFlags);
    }

    public Options(
        Placement sharedLocals, boolean objectLevel, int parallelism, Map<String, List<String>> libraryFlags) {
      this(sharedLocals, objectLevel, parallelism, libraryFlags, Optional.empty());
    }

    public Options(Placement sharedLocals, boolean objectLevel, int parallelism) {
      this(sharedLocals, objectLevel, parallelism, Map.of());
    }

    public Options withCache(Optional<CompileCache> compileCache) {
      return new Options(sharedLocals, objectLevel, parallelism, libraryFlags, compileCache);
    }

    public Options withLibraryFlags(Map<String, List<String>> flags) {
      return new Options(sharedLocals, objectLevel, parallelism, flags, cache);
    }

    /** A compiler for files of the build writing into {@code output}, with the cache if one is used. */
    public Compiler compiler(Path output) {
      return new Compiler(parallelism, cache, output);
    }
  }

  private Transformer() {}

  /**
   * Rewrites {@code application} for the configuration {@code compartmentOf} (library to
   * compartment) into {@code output}, an existing empty directory.
   */
  public static TransformReport transform(
      Application application, Map<String, Integer> compartmentOf, Options options, Path output)
      throws IOException, InterruptedException {
    return transform(application, compartmentOf, options, output, GatePlan.Check.NONE);
  }

  /**
   * {@link #transform} asking {@code check}, with the object level on, about the gates the
   * configuration needs once the originals are compiled and before any file is rewritten.
   */
  public static TransformReport transform(Application application, Map<String, Integer> compartmentOf,
      Options options, Path output, GatePlan.Check check) throws IOException, InterruptedException {
    for (String library : application.libraryNames()) {
      if (!compartmentOf.containsKey(library)) {
        throw new IllegalArgumentException("the configuration does not place library " + library);
      }
    }
    Map<String, Integer> placement = Map.copyOf(compartmentOf);
    Path target = output.toAbsolutePath();
    Compilation compilation = new Compilation(application, options, target);
    ScannedSources scanned = new ScanSources(application, compilation, options.objectLevel()).scan();
    // Inside the output, so that a run stopped outright leaves nothing outside what it was writing.
    Files.createDirectories(target);
    try (ScratchDirectory work = ScratchDirectory.create(target, ".work")) {
      Originals originals = options.objectLevel()
          ? new CompileOriginals(compilation).compile(work.path().resolve("original"))
          : Originals.NONE;
      Ownership ownership = new ResolveOwnership(compilation).resolve(scanned, originals);
      if (options.objectLevel()) {
        check.check(new PlanGates(compilation, placement, ownership).plan(originals));
      }
      Rewrite rewrite = new RewriteSources(application, compilation, options, ownership.symbols(placement))
          .rewrite(scanned, originals, target);
      Optional<CheckedObjects> checked = options.objectLevel()
          ? Optional.of(new CheckObjects(compilation, placement, ownership).check(scanned, originals, rewrite))
          : Optional.empty();
      return report(application, placement, ownership, rewrite, checked);
    }
  }

  private static TransformReport report(Application application, Map<String, Integer> compartmentOf,
      Ownership ownership, Rewrite rewrite, Optional<CheckedObjects> checked) {
    List<GateSite> sites = new ArrayList<>(rewrite.sites());
    List<SharedData> shared = new ArrayList<>(rewrite.shared());
    checked.ifPresent(c -> {
      sites.addAll(c.sites());
      shared.addAll(c.globals());
    });
    List<String> notes = new ArrayList<>(ownership.notes());
    notes.addAll(rewrite.notes());
    Optional<ObjectCheck> check = checked.map(CheckedObjects::check);
    return new TransformReport(application.spec().name(), compartmentOf, sites,
        gates(sites, compartmentOf, ownership), shared, List.copyOf(rewrite.entryPoints()),
        rewrite.outcomes(), notes, check, Optional.ofNullable(ownership.functionOwners().get("main")));
  }

  /** One gate per gate name, sorted by name, for the sites whose callee library is placed. */
  private static List<Gate> gates(List<GateSite> sites, Map<String, Integer> compartmentOf, Ownership ownership) {
    Map<String, Gate> gates = new TreeMap<>();
    for (GateSite site : sites) {
      if (site.calleeLibrary() == null || !compartmentOf.containsKey(site.calleeLibrary())) {
        continue;
      }
      gates.putIfAbsent(site.gate(), new Gate(site.gate(), site.gateCompartment(),
          compartmentOf.get(site.calleeLibrary()), site.calleeLibrary(), site.function(),
          Optional.ofNullable(ownership.prototypes().get(site.function()))));
    }
    return List.copyOf(gates.values());
  }
}
