package io.flexc.transformer;

import io.flexc.model.Gate;
import io.flexc.model.GateSite;
import io.flexc.transformer.TransformReport.PrunedGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The gates the program needs, from the compiled objects rather than the source text: a gate the
 * rewrite made but no object references (its call sits in an {@code #if} branch the compiler left
 * out) is left out, so that no alias or stub names a function that may not exist in this build.
 * A callback gate whose every use took the address, which the objects now send to the function's
 * entry gate, is kept: the rewritten sources still name it, and whoever compiles them again (the
 * output's Makefile from a changed source, a kernel build) links against it.
 */
record PrunedGates(List<Gate> kept, List<PrunedGate> pruned) {

  PrunedGates {
    kept = List.copyOf(kept);
    pruned = List.copyOf(pruned);
  }

  static PrunedGates of(List<Gate> gates, List<Gate> entries, List<GateSite> sites, Set<String> referenced) {
    Set<String> entered = entries.stream().map(Gate::function).collect(Collectors.toSet());
    Map<String, Gate> kept = new TreeMap<>();
    List<PrunedGate> pruned = new ArrayList<>();
    for (Gate gate : gates) {
      if (referenced.contains(gate.name())) {
        kept.put(gate.name(), gate);
        continue;
      }
      if (entered.contains(gate.function())) {
        kept.put(gate.name(), gate);
        continue;
      }
      String reason = "no compiled object references it: its uses are in code the compiler did not compile"
          + " (an #if branch not taken)";
      pruned.add(new PrunedGate(gate, reason, sites.stream().filter(s -> s.gate().equals(gate.name())).toList()));
    }
    entries.forEach(entry -> kept.put(entry.name(), entry));
    return new PrunedGates(List.copyOf(kept.values()), pruned);
  }
}
