package io.flexc.solver;

import io.flexc.model.Configuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration of a small problem, by plain enumeration: restricted-growth assignments times
 * hardening choices, filtered by {@link ConfigurationChecker}. The reference the solver and the
 * explorer are compared with; it shares no code with the constraint model.
 */
final class BruteForce {

  private BruteForce() {}

  static List<Configuration> validConfigurations(PlacementProblem problem) {
    return validConfigurations(problem, new ConfigurationChecker(problem));
  }

  static List<Configuration> validConfigurations(PlacementProblem problem, ConfigurationChecker checker) {
    List<Configuration> valid = new ArrayList<>();
    for (Configuration configuration : allConfigurations(problem)) {
      if (checker.problems(configuration).isEmpty()) {
        valid.add(configuration);
      }
    }
    return valid;
  }

  static List<Configuration> allConfigurations(PlacementProblem problem) {
    List<String> libraries = problem.libraries();
    List<Set<String>> choices = problem.hardening().choices();
    List<Configuration> all = new ArrayList<>();
    for (int[] assignment : restrictedGrowthStrings(libraries.size())) {
      int[] hardening = new int[libraries.size()];
      while (true) {
        Map<String, Integer> compartments = new LinkedHashMap<>();
        Map<String, Set<String>> applied = new LinkedHashMap<>();
        for (int i = 0; i < libraries.size(); i++) {
          compartments.put(libraries.get(i), assignment[i]);
          applied.put(libraries.get(i), choices.get(hardening[i]));
        }
        all.add(new Configuration(compartments, applied));
        int position = 0;
        while (position < hardening.length && ++hardening[position] == choices.size()) {
          hardening[position++] = 0;
        }
        if (position == hardening.length) {
          break;
        }
      }
    }
    return all;
  }

  private static List<int[]> restrictedGrowthStrings(int length) {
    List<int[]> strings = new ArrayList<>();
    extend(new int[length], 1, 0, strings);
    return strings;
  }

  private static void extend(int[] prefix, int position, int highest, List<int[]> out) {
    if (position == prefix.length) {
      out.add(prefix.clone());
      return;
    }
    for (int value = 0; value <= highest + 1; value++) {
      prefix[position] = value;
      extend(prefix, position + 1, Math.max(highest, value), out);
    }
  }

  /** Whether {@code safer} is at least as safe as {@code other}: refines it and hardens a superset. */
  static boolean atLeastAsSafe(Configuration safer, Configuration other) {
    for (String a : safer.compartmentOf().keySet()) {
      if (!safer.hardeningOf(a).containsAll(other.hardeningOf(a))) {
        return false;
      }
      for (String b : safer.compartmentOf().keySet()) {
        if (safer.compartmentOf(a) == safer.compartmentOf(b) && other.compartmentOf(a) != other.compartmentOf(b)) {
          return false;
        }
      }
    }
    return true;
  }
}
