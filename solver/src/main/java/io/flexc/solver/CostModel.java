package io.flexc.solver;

import io.flexc.model.CallGraph;
import io.flexc.model.CallTarget;
import io.flexc.model.Configuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predicts what a configuration costs: the hardening it applies and the gates its calls cross.
 *
 * <p>Calls come from a measured profile when there is one; otherwise every distinct function one
 * library calls in another counts once, a static stand-in that still prefers keeping chatty
 * libraries together.
 */
public final class CostModel {

  /** Calls between two libraries, in either direction. */
  public record Edge(String first, String second, long count) {}

  /** The model's integer arithmetic must not overflow: gate cycles are scaled down past this. */
  private static final long MODEL_CYCLE_LIMIT = 1_000_000_000L;

  private final HardeningSpace hardening;
  private final List<Edge> edges;
  private final int gateCycles;
  private final boolean profiled;

  public CostModel(
      List<String> libraries,
      HardeningSpace hardening,
      CallGraph callGraph,
      Optional<CallProfile> profile,
      int gateCycles) {
    this.hardening = hardening;
    this.gateCycles = gateCycles;
    this.profiled = profile.isPresent();
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    if (profile.isPresent()) {
      for (CallProfile.CallCount row : profile.get().counts()) {
        add(counts, libraries, row.caller(), row.callee(), row.count());
      }
    } else {
      for (String caller : libraries) {
        for (CallTarget call : callGraph.callsOf(caller)) {
          add(counts, libraries, caller, call.library(), 1);
        }
      }
    }
    List<Edge> merged = new ArrayList<>();
    counts.forEach((pair, count) -> merged.add(new Edge(pair.get(0), pair.get(1), count)));
    this.edges = List.copyOf(merged);
  }

  private static void add(
      Map<List<String>, Long> counts, List<String> libraries, String caller, String callee, long count) {
    if (caller.equals(callee) || !libraries.contains(caller) || !libraries.contains(callee)) {
      return;
    }
    List<String> pair =
        libraries.indexOf(caller) < libraries.indexOf(callee)
            ? List.of(caller, callee)
            : List.of(callee, caller);
    counts.merge(pair, count, Long::sum);
  }

  public List<Edge> edges() {
    return edges;
  }

  /** Whether gate costs come from a measured profile rather than the static call graph. */
  public boolean profiled() {
    return profiled;
  }

  public int gateCycles() {
    return gateCycles;
  }

  public Cost cost(Configuration configuration) {
    int hardeningCost = 0;
    for (String library : configuration.compartmentOf().keySet()) {
      hardeningCost += hardening.cost(configuration.hardeningOf(library));
    }
    long cycles = 0;
    for (Edge edge : edges) {
      if (configuration.compartmentOf(edge.first()) != configuration.compartmentOf(edge.second())) {
        cycles += edge.count() * gateCycles;
      }
    }
    return new Cost(hardeningCost, cycles);
  }

  /**
   * How many cycles are one unit of the constraint model's gate-cost variable: 1 unless a profile
   * is so large that its cycles would overflow the model's integers.
   */
  long modelCycleUnit() {
    long total = edges.stream().mapToLong(edge -> edge.count() * gateCycles).sum();
    return Math.max(1, (total + MODEL_CYCLE_LIMIT - 1) / MODEL_CYCLE_LIMIT);
  }

  /** The gate cost of each edge in model units (see {@link #modelCycleUnit()}), rounded up. */
  int modelWeight(Edge edge) {
    long unit = modelCycleUnit();
    return (int) ((edge.count() * gateCycles + unit - 1) / unit);
  }
}
