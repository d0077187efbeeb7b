package io.flexc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The calls each library makes into other libraries. The transformer computes it from the compiled
 * objects; without sources, the declared {@code [Call]} lists stand in for it.
 *
 * <p>The solver uses it twice: CFI restricts a library that may jump anywhere ({@code XA}) to
 * exactly these calls, and the predicted gate cost counts the edges that cross compartments.
 *
 * @param origin where the calls come from, e.g. {@code [Call] sections} or {@code object files}
 */
public record CallGraph(String origin, Map<String, Set<CallTarget>> calls) {

  public CallGraph {
    Map<String, Set<CallTarget>> copy = new LinkedHashMap<>();
    calls.forEach((library, targets) -> copy.put(library, Collections.unmodifiableSet(new LinkedHashSet<>(targets))));
    calls = OrderedMaps.copyOf(copy);
  }

  /** The call lists the metadata declares, for applications analysed without their sources. */
  public static CallGraph declared(Application application) {
    Map<String, Set<CallTarget>> calls = new LinkedHashMap<>();
    for (String library : application.libraryNames()) {
      calls.put(library, new LinkedHashSet<>(application.library(library).call().targets()));
    }
    return new CallGraph("[Call] sections", calls);
  }

  /** What {@code library} calls in other libraries; empty when it calls nothing known. */
  public Set<CallTarget> callsOf(String library) {
    return calls.getOrDefault(library, Set.of());
  }
}
