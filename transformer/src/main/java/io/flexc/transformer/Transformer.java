package io.flexc.transformer;

import io.flexc.model.Application;
import io.flexc.model.CallShape;
import io.flexc.model.Diagnostic;
import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.Prototype;
import io.flexc.model.SharedData.Placement;
import io.flexc.model.SharedData;
import io.flexc.transformer.objects.CompileCache;
import io.flexc.transformer.objects.Compiler;
import io.flexc.transformer.types.CompiledFunction;
import io.flexc.transformer.types.SystemVClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The transformer's entry point: rewrites an application's C sources for a configuration into a
 * directory ({@code src/} mirrors the sources, {@code objects/} holds the compiled result), and
 * checks the result against the compiler. The stages, each passing an immutable record to the
 * next: {@link ScanSources} → {@link CompileOriginals} (object level) → {@link ResolveOwnership}
 * → {@link PlanGates} and {@link ReadCompiledPrototypes} (object level: the gates the configuration
 * needs, with their callees' prototypes as the compiler saw them and the [API] entries checked by
 * {@link CheckApiPrototypes}; the caller's {@link GatePlan.Check} may stop here) → {@link
 * RewriteSources} → {@link CheckObjects} → {@link RouteAddresses} → {@link PrunedGates} (the last
 * three object level). With the object level on, every
 * file is compiled before and after the rewrite; references the source rewrite did not reach are
 * redirected in the object with {@code objcopy --redefine-sym}, so no cross-compartment reference
 * escapes a gate; every function address that may reach another compartment goes to the
 * function's entry gate; and only the gates some object references are generated.
 */
public final class Transformer {

  /**
   * How to transform: where shared locals go, whether to compile, how many compilers at once,
   * flags added to each library's compile command (its hardening), by library name, whether
   * function addresses that may reach another compartment go to entry gates (object level only;
   * off for a backend that cannot have them, which then keeps the source rewrite's
   * per-compartment callback gates, and the report says which addresses are not routed), and the
   * cache of compilations, if one is used.
   */
  public record Options(Placement sharedLocals, boolean objectLevel, int parallelism,
      Map<String, List<String>> libraryFlags, boolean entryGates, Optional<CompileCache> cache) {

    public Options {
      libraryFlags = Map.copyOf(libraryFlags);
    }

    public Options(
        Placement sharedLocals, boolean objectLevel, int parallelism, Map<String, List<String>> libraryFlags) {
      this(sharedLocals, objectLevel, parallelism, libraryFlags, true, Optional.empty());
    }

    public Options(Placement sharedLocals, boolean objectLevel, int parallelism) {
      this(sharedLocals, objectLevel, parallelism, Map.of());
    }

    /** These options with function addresses left where they are, only reported. */
    public Options withoutEntryGates() {
      return new Options(sharedLocals, objectLevel, parallelism, libraryFlags, false, cache);
    }

    public Options withCache(Optional<CompileCache> compileCache) {
      return new Options(sharedLocals, objectLevel, parallelism, libraryFlags, entryGates, compileCache);
    }

    public Options withLibraryFlags(Map<String, List<String>> flags) {
      return new Options(sharedLocals, objectLevel, parallelism, flags, entryGates, cache);
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
      CompiledPrototypes compiled = CompiledPrototypes.NONE;
      ReadCompiledPrototypes reader = new ReadCompiledPrototypes(compilation);
      if (options.objectLevel()) {
        GatePlan plan = new PlanGates(compilation, placement, ownership).plan(originals);
        Set<Path> files = calleeFiles(plan.gates(), ownership);
        files.addAll(CheckApiPrototypes.files(application, ownership));
        compiled = reader.read(files, originals, work.path().resolve("debug"));
        checkApi(application, ownership, compiled, compilation);
        CompiledPrototypes known = compiled;
        check.check(new GatePlan(plan.gates().stream().map(gate -> withPrototype(gate, ownership, known)).toList(),
            plan.callers()));
      } else {
        checkApi(application, ownership, compiled, compilation);
      }
      CheckObjects objectCheck = new CheckObjects(compilation, placement, ownership);
      Set<String> referencedAcross = objectCheck.globalsReferencedAcross(originals.objects()).keySet();
      Rewrite rewrite = new RewriteSources(application, compilation, options,
          ownership.symbols(placement, referencedAcross)).rewrite(scanned, originals, target);
      List<GateSite> sites = new ArrayList<>(rewrite.sites());
      List<SharedData> shared = new ArrayList<>(rewrite.shared());
      List<String> notes = new ArrayList<>(ownership.notes());
      notes.addAll(rewrite.notes());
      if (!options.objectLevel()) {
        return new TransformReport(application.spec().name(), placement, sites,
            gates(sites, placement, ownership, compiled), List.of(), List.of(), shared,
            List.copyOf(rewrite.entryPoints()), rewrite.outcomes(), List.of(), notes, Optional.empty(),
            main(ownership));
      }
      EditedObjects edits = EditedObjects.before(rewrite);
      CheckedObjects checked = objectCheck.check(scanned, originals, rewrite);
      sites.addAll(checked.sites());
      shared.addAll(checked.globals());
      RoutedAddresses routed = new RouteAddresses(placement, ownership, options.entryGates())
          .route(scanned, originals, rewrite, sites, shared);
      List<Gate> later = new ArrayList<>(gates(sites, placement, ownership, compiled));
      later.addAll(routed.entries());
      Set<Path> files = calleeFiles(later, ownership);
      files.removeAll(compiled.files());
      compiled = compiled.plus(reader.read(files, originals, work.path().resolve("debug-more")));
      CompiledPrototypes known = compiled;
      known.unread().forEach((file, reason) ->
          notes.add("no prototypes from the compiler for the functions of " + file + ": " + reason));
      List<Gate> entries = routed.entries().stream().map(entry -> withPrototype(entry, ownership, known)).toList();
      PrunedGates pruned = PrunedGates.of(gates(sites, placement, ownership, compiled), entries, sites,
          ReferencedSymbols.of(rewrite));
      Set<String> entryPoints = new TreeSet<>(rewrite.entryPoints());
      entries.forEach(entry -> entryPoints.add(entry.function()));
      return new TransformReport(application.spec().name(), placement, sites, pruned.kept(), pruned.pruned(),
          routed.sites(), shared, List.copyOf(entryPoints), rewrite.outcomes(), edits.keep(), notes,
          Optional.of(checked.check()), main(ownership));
    }
  }

  private static void checkApi(Application application, Ownership ownership, CompiledPrototypes compiled,
      Compilation compilation) throws IOException {
    List<Diagnostic> mismatches = new CheckApiPrototypes(application, ownership, compiled, compilation).check();
    if (!mismatches.isEmpty()) {
      throw new IOException("the [API] prototypes of the metadata do not match the compiler's:\n"
          + mismatches.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
    }
  }

  private static Optional<String> main(Ownership ownership) {
    return Optional.ofNullable(ownership.functionOwners().get("main"));
  }

  /** The files defining the functions {@code gates} enter. */
  private static Set<Path> calleeFiles(List<Gate> gates, Ownership ownership) {
    Set<Path> files = new LinkedHashSet<>();
    gates.forEach(gate -> ownership.definingFile(gate.function()).ifPresent(files::add));
    return files;
  }

  /** {@code gate} with its callee's prototype as the compiler saw it, when it did. */
  private static Gate withPrototype(Gate gate, Ownership ownership, CompiledPrototypes compiled) {
    return new Gate(gate.name(), gate.callerCompartment(), gate.calleeCompartment(), gate.calleeLibrary(),
        gate.function(), prototype(gate.function(), ownership, compiled));
  }

  /** One gate per gate name, sorted by name, for the sites whose callee library is placed. */
  private static List<Gate> gates(List<GateSite> sites, Map<String, Integer> compartmentOf, Ownership ownership,
      CompiledPrototypes compiled) {
    Map<String, Gate> gates = new TreeMap<>();
    for (GateSite site : sites) {
      if (site.calleeLibrary() == null || !compartmentOf.containsKey(site.calleeLibrary())) {
        continue;
      }
      gates.computeIfAbsent(site.gate(), name -> new Gate(name, site.gateCompartment(),
          compartmentOf.get(site.calleeLibrary()), site.calleeLibrary(), site.function(),
          prototype(site.function(), ownership, compiled)));
    }
    return List.copyOf(gates.values());
  }

  /**
   * A callee's prototype: as the compiler saw it, spelled by the compiler and with its call shape,
   * in the file the scanner found it in (for its includes) or else the one whose object defines it;
   * as the source spells it when the compiler was not asked; none when neither knows it.
   */
  static Optional<Prototype> prototype(String function, Ownership ownership, CompiledPrototypes compiled) {
    Optional<Prototype> text = Optional.ofNullable(ownership.prototypes().get(function));
    Optional<CompiledPrototypes.Defined> defined = compiled.of(function);
    if (defined.isEmpty()) {
      return text;
    }
    CompiledFunction callee = defined.get().function();
    CallShape shape = SystemVClassifier.shape(callee.type());
    if (!callee.spellable() && text.isPresent()) {
      return Optional.of(text.get().withShape(shape));
    }
    Path definedIn = text.map(Prototype::definedIn).orElse(defined.get().file());
    return Optional.of(new Prototype(callee.resultSpelling(), callee.parametersSpelling(), callee.type().variadic(),
        definedIn, Optional.of(shape)));
  }
}
