package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.transformer.objects.ElfObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Between ownership and the rewrite (object level only): the call gates the configuration needs,
 * from the references the original objects make to functions of other compartments, which the
 * object-level pass redirects to gates whatever the source rewrite reaches.
 */
final class PlanGates {

  private final Compilation compilation;
  private final Map<String, Integer> compartmentOf;
  private final Ownership ownership;

  PlanGates(Compilation compilation, Map<String, Integer> compartmentOf, Ownership ownership) {
    this.compilation = compilation;
    this.compartmentOf = Map.copyOf(compartmentOf);
    this.ownership = ownership;
  }

  GatePlan plan(Originals originals) {
    Map<String, Gate> gates = new TreeMap<>();
    Map<String, Set<Path>> callers = new TreeMap<>();
    for (Map.Entry<Path, ElfObject> entry : originals.objects().entrySet()) {
      int caller = compartmentOf.get(compilation.libraryOf(entry.getKey()));
      for (ElfObject.Relocation relocation : entry.getValue().relocations()) {
        String function = relocation.symbol().name();
        if (!CheckObjects.isForeignFunction(relocation.symbol(), caller, compartmentOf, ownership)) {
          continue;
        }
        String owner = ownership.functionOwners().get(function);
        String name = Gate.name(caller, function);
        gates.computeIfAbsent(name, n -> new Gate(n, caller, compartmentOf.get(owner), owner, function,
            Optional.ofNullable(ownership.prototypes().get(function))));
        callers.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(entry.getKey());
      }
    }
    Map<String, List<Path>> files = new TreeMap<>();
    callers.forEach((gate, paths) -> files.put(gate, new ArrayList<>(paths)));
    return new GatePlan(List.copyOf(gates.values()), files);
  }
}
