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
 * <p>Calls come from a profile when there is one, measured or estimated from the compiled code;
 * otherwise (no sources to estimate from) every distinct function one library declares it calls in
 * another counts once, a stand-in that cannot tell a call made per request from one made once.
 */
public final class CostModel {

  /** Calls between two libraries, in either direction. */
  public record Edge(String first, String second, long count) {}

  /** The model's integer arithmetic must not overflow: gate cycles are scaled down past this. */
  private static final long MODEL_CYCLE_LIMIT = 1_000_000_000L;

  private final HardeningSpace hardening;
  private final List<Edge> edges;
  private final int gateCycles;
  private final Optional<CallProfile.Source> source;

  public CostModel(
      List<String> libraries,
      HardeningSpace hardening,
      CallGraph callGraph,
      Optional<CallProfile> profile,
      int gateCycles) {
    this.hardening = hardening;
    this.gateCycles = gateCycles;
    this.source = profile.map(CallProfile::source);
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

  /** Whether gate costs come from a profile (measured or estimated) rather than the declared calls. */
  public boolean profiled() {
    return source.isPresent();
  }

  /** What the call counts are: the profile's source, or the declared calls. */
  public String weights() {
    return source.map(CallProfile.Source::description).orElse("the declared calls (one per called function)");
  }

  /** What one unit of the crossings counts. */
  public String crossingUnit() {
    return source.map(CallProfile.Source::unit).orElse("declared functions called");
  }

  /** How many calls cross between compartments in {@code configuration}, in {@link #crossingUnit()}s. */
  public long crossings(Configuration configuration) {
    long crossings = 0;
    for (Edge edge : edges) {
      if (configuration.compartmentOf(edge.first()) != configuration.compartmentOf(edge.second())) {
        crossings += edge.count();
      }
    }
    return crossings;
  }

  public int gateCycles() {
    return gateCycles;
  }

  public Cost cost(Configuration configuration) {
    int hardeningCost = 0;
    for (String library : configuration.compartmentOf().keySet()) {
      hardeningCost += hardening.cost(configuration.hardeningOf(library));
    }
    return new Cost(hardeningCost, crossings(configuration) * gateCycles);
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
