package io.flexc.solver;

import io.flexc.model.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What one gate crossing costs on each backend, in cycles. The defaults (resource {@code
 * gate-costs.properties}) are FlexOS's measured figures; {@code proc} is an estimate of a futex
 * round trip between processes until flexc's own benchmark replaces it.
 */
public record GateCosts(Map<Backend, Integer> cycles) {

  public GateCosts {
    cycles = Map.copyOf(cycles);
    for (Backend backend : Backend.values()) {
      if (!cycles.containsKey(backend) || cycles.get(backend) < 0) {
        throw new IllegalArgumentException("no gate cost for backend " + backend.label());
      }
    }
  }

  public static GateCosts defaults() {
    Properties table = new Properties();
    try (InputStream in = GateCosts.class.getResourceAsStream("gate-costs.properties")) {
      if (in == null) {
        throw new IllegalStateException("gate-costs.properties is missing from the jar");
      }
      table.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Backend, Integer> cycles = new TreeMap<>();
    for (Backend backend : Backend.values()) {
      cycles.put(backend, Integer.parseInt(table.getProperty(backend.label()).trim()));
    }
    return new GateCosts(cycles);
  }

  public int of(Backend backend) {
    return cycles.get(backend);
  }

  /** The same table with one backend's cost replaced, e.g. from {@code --gate-cycles}. */
  public GateCosts with(Backend backend, int gateCycles) {
    Map<Backend, Integer> changed = new TreeMap<>(cycles);
    changed.put(backend, gateCycles);
    return new GateCosts(changed);
  }
}
