package io.flexc.solver;

import io.flexc.model.Backend;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one gate crossing costs, in cycles: each backend's own figure ({@link Backend#gateCycles()})
 * unless overridden, e.g. from {@code --gate-cycles}. {@code overrides} maps backend labels to
 * cycles.
 */
public record GateCosts(Map<String, Integer> overrides) {

  public GateCosts {
    overrides = Map.copyOf(overrides);
    overrides.forEach((label, cycles) -> {
      if (cycles < 0) {
        throw new IllegalArgumentException("negative gate cost for backend " + label);
      }
    });
  }

  /** Every backend's own figure. */
  public static GateCosts defaults() {
    return new GateCosts(Map.of());
  }

  public int of(Backend backend) {
    return overrides.getOrDefault(backend.label(), backend.gateCycles());
  }

  /** The same table with one backend's cost replaced, e.g. from {@code --gate-cycles}. */
  public GateCosts with(Backend backend, int gateCycles) {
    Map<String, Integer> changed = new TreeMap<>(overrides);
    changed.put(backend.label(), gateCycles);
    return new GateCosts(changed);
  }
}
