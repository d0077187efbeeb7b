package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.model.SharedData;
import io.flexc.transformer.TransformReport.ObjectCheck;
import io.flexc.transformer.objects.Compiler;
import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.source.CFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transformer's last stage (object level only): checks the rewritten objects against the
 * originals. References to another compartment's functions that the source rewrite did not reach
 * are redirected to their gates with {@code objcopy --redefine-sym}, so none escapes a gate; data
 * of another compartment that an object references is listed as shared; and the scanner's coverage
 * of the functions the objects define is counted.
 */
final class CheckObjects {

  private final Compilation compilation;
  private final Map<String, Integer> compartmentOf;
  private final Ownership ownership;

  CheckObjects(Compilation compilation, Map<String, Integer> compartmentOf, Ownership ownership) {
    this.compilation = compilation;
    this.compartmentOf = Map.copyOf(compartmentOf);
    this.ownership = ownership;
  }

  CheckedObjects check(ScannedSources scanned, Originals originals, Rewrite rewrite)
      throws IOException, InterruptedException {
    int crossReferences = 0;
    for (Map.Entry<Path, ElfObject> original : originals.objects().entrySet()) {
      crossReferences += foreignFunctionReferences(original.getKey(), original.getValue()).size();
    }
    int redirected = 0;
    List<GateSite> sites = new ArrayList<>();
    Map<Path, ElfObject> objects = new LinkedHashMap<>(rewrite.objects());
    Map<String, Map<String, Set<String>>> sharedGlobals = globalsReferencedAcross(objects);
    for (Map.Entry<Path, ElfObject> entry : objects.entrySet()) {
      Path file = entry.getKey();
      ElfObject object = entry.getValue();
      String library = compilation.libraryOf(file);
      int caller = compartmentOf.get(library);
      List<ElfObject.Relocation> residual = foreignFunctionReferences(file, object);
      if (residual.isEmpty()) {
        continue;
      }
      Map<String, Integer> counts = new TreeMap<>();
      Map<String, String> callers = new HashMap<>();
      Map<Integer, String> owners = sectionOwners(object);
      for (ElfObject.Relocation relocation : residual) {
        counts.merge(relocation.symbol().name(), 1, Integer::sum);
        callers.putIfAbsent(relocation.symbol().name(),
            owners.getOrDefault(relocation.section(), "<data>"));
      }
      List<String[]> renames = new ArrayList<>();
      for (Map.Entry<String, Integer> count : counts.entrySet()) {
        String function = count.getKey();
        String gate = Gate.name(caller, function);
        renames.add(new String[] {function, gate});
        redirected += count.getValue();
        sites.add(new GateSite(file, 0, 0, library, callers.get(function), caller,
            ownership.functionOwners().get(function), function, gate, GateSite.Kind.CALL,
            GateSite.Level.OBJECT, count.getValue()));
      }
      Path objectFile = object.path();
      Compiler.redefineSymbols(objectFile, renames);
      entry.setValue(ElfObject.read(objectFile));
    }
    int remaining = 0;
    for (Map.Entry<Path, ElfObject> entry : objects.entrySet()) {
      remaining += foreignFunctionReferences(entry.getKey(), entry.getValue()).size();
    }
    List<SharedData> globals = new ArrayList<>();
    sharedGlobals.forEach((symbol, owners) -> owners.forEach((owner, users) ->
        globals.add(new SharedData.Global(symbol, owner, ownership.dataFiles().get(symbol), users))));
    // The rewritten objects have the originals' shape (a gate has its callee's exact type), so
    // every cross reference not redirected or left over went through a gate in the source.
    int handledAtSource = Math.max(0, crossReferences - redirected - remaining);
    ObjectCheck check = definitions(scanned, originals, crossReferences, handledAtSource, redirected, remaining);
    return new CheckedObjects(check, sites, globals);
  }

  /**
   * The globals that {@code objects} reference from another compartment than their owner's: by
   * symbol, its owner library and the libraries that reference it.
   */
  Map<String, Map<String, Set<String>>> globalsReferencedAcross(Map<Path, ElfObject> objects) {
    Map<String, Map<String, Set<String>>> globals = new TreeMap<>();
    objects.forEach((file, object) -> {
      String library = compilation.libraryOf(file);
      for (ElfObject.Relocation relocation : object.relocations()) {
        String name = relocation.symbol().name();
        String owner = ownership.dataOwners().get(name);
        if (owner != null && !relocation.symbol().isDefined()
            && !compartmentOf.get(owner).equals(compartmentOf.get(library))) {
          globals.computeIfAbsent(name, n -> new TreeMap<>()).computeIfAbsent(owner, o -> new TreeSet<>()).add(library);
        }
      }
    });
    return globals;
  }

  /** How many of the functions the original objects define the scanner found in the sources. */
  private ObjectCheck definitions(ScannedSources scanned, Originals originals, int crossReferences,
      int handledAtSource, int redirected, int remaining) {
    int objectFunctions = 0;
    int found = 0;
    List<String> missed = new ArrayList<>();
    for (Map.Entry<Path, ElfObject> entry : originals.objects().entrySet()) {
      Path file = entry.getKey();
      String library = compilation.libraryOf(file);
      Set<String> known = new HashSet<>();
      scanned.filesOf().get(library).stream().filter(f -> f.path().equals(file))
          .forEach(f -> f.functions().forEach(d -> known.add(d.name())));
      for (CFile header : scanned.headersOf().get(library)) {
        header.functions().forEach(d -> known.add(d.name()));
      }
      Set<String> defined = new TreeSet<>();
      for (ElfObject.Symbol symbol : entry.getValue().symbols()) {
        if (symbol.type() == ElfObject.Type.FUNCTION && symbol.isDefined() && !symbol.name().contains(".")) {
          defined.add(symbol.name());
        }
      }
      for (String function : defined) {
        objectFunctions++;
        if (known.contains(function)) {
          found++;
        } else {
          missed.add(file + ": " + function);
        }
      }
    }
    return new ObjectCheck(crossReferences, handledAtSource, redirected, remaining, objectFunctions,
        found, missed);
  }

  private static Map<Integer, String> sectionOwners(ElfObject object) {
    Map<Integer, String> owners = new HashMap<>();
    for (ElfObject.Symbol symbol : object.symbols()) {
      if (symbol.section() >= 0 && (symbol.type() == ElfObject.Type.FUNCTION
          || symbol.type() == ElfObject.Type.DATA)) {
        owners.putIfAbsent(symbol.section(), symbol.name());
      }
    }
    return owners;
  }

  /** References in {@code object} to functions of libraries in another compartment. */
  private List<ElfObject.Relocation> foreignFunctionReferences(Path file, ElfObject object) {
    int caller = compartmentOf.get(compilation.libraryOf(file));
    List<ElfObject.Relocation> foreign = new ArrayList<>();
    for (ElfObject.Relocation relocation : object.relocations()) {
      if (isForeignFunction(relocation.symbol(), caller, compartmentOf, ownership)) {
        foreign.add(relocation);
      }
    }
    return foreign;
  }

  /** Whether {@code symbol}, referred to from compartment {@code caller}, is a function of another one. */
  static boolean isForeignFunction(ElfObject.Symbol symbol, int caller, Map<String, Integer> compartmentOf,
      Ownership ownership) {
    String owner = ownership.functionOwners().get(symbol.name());
    return !symbol.isDefined() && symbol.type() != ElfObject.Type.SECTION && owner != null
        && compartmentOf.get(owner) != caller;
  }
}
