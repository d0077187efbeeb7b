package io.flexc.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One choice of the design space: the compartment (numbered from 0) of every library and the
 * mechanisms applied to each. Libraries without hardening map to an empty set.
 *
 * <p>Compartment numbers are dense: every number from 0 to {@link #compartmentCount()} - 1 is
 * used, so numbering is part of the configuration and output is reproducible.
 */
public record Configuration(Map<String, Integer> compartmentOf, Map<String, Set<String>> hardening) {

  public Configuration {
    compartmentOf = OrderedMaps.copyOf(compartmentOf);
    TreeMap<String, Set<String>> sortedHardening = new TreeMap<>();
    hardening.forEach((library, mechanisms) -> sortedHardening.put(library, Set.copyOf(mechanisms)));
    hardening = OrderedMaps.copyOf(sortedHardening);
    TreeSet<Integer> used = new TreeSet<>(compartmentOf.values());
    if (!used.isEmpty() && (used.first() != 0 || used.last() != used.size() - 1)) {
      throw new IllegalArgumentException("compartments must be numbered 0.." + (used.size() - 1) + ": " + used);
    }
    for (String library : hardening.keySet()) {
      if (!compartmentOf.containsKey(library)) {
        throw new IllegalArgumentException("hardening for a library without a compartment: " + library);
      }
    }
  }

  /**
   * The configuration that groups libraries as {@code labels} does (any numbers, one per group),
   * its compartments numbered in order of first appearance.
   */
  public static Configuration numberedInOrder(Map<String, Integer> labels, Map<String, Set<String>> hardening) {
    Map<Integer, Integer> numbers = new HashMap<>();
    Map<String, Integer> compartmentOf = new LinkedHashMap<>();
    labels.forEach((library, label) -> compartmentOf.put(library, numbers.computeIfAbsent(label, l -> numbers.size())));
    return new Configuration(compartmentOf, hardening);
  }

  public int compartmentCount() {
    return (int) compartmentOf.values().stream().distinct().count();
  }

  public int compartmentOf(String library) {
    Integer compartment = compartmentOf.get(library);
    if (compartment == null) {
      throw new IllegalArgumentException("no compartment for " + library);
    }
    return compartment;
  }

  public Set<String> hardeningOf(String library) {
    return hardening.getOrDefault(library, Set.of());
  }

  /**
   * Whether this configuration is at least as safe as {@code other} (of the same libraries): its
   * partition refines other's (libraries it keeps together, other keeps together too) and it
   * hardens every library with at least what other applies.
   */
  public boolean atLeastAsSafeAs(Configuration other) {
    for (String library : compartmentOf.keySet()) {
      if (!hardeningOf(library).containsAll(other.hardeningOf(library))) {
        return false;
      }
      for (String peer : compartmentOf.keySet()) {
        if (compartmentOf(library) == compartmentOf(peer) && other.compartmentOf(library) != other.compartmentOf(peer)) {
          return false;
        }
      }
    }
    return true;
  }
}
