package io.flexc.solver;

import io.flexc.model.Configuration;
import java.util.List;

/**
 * A configuration's safety as one comparable score: first how many pairs of libraries it keeps in
 * different compartments, then how much hardening it applies ({@link HardeningSpace#safety}).
 * The score grows along the safety order, so the most safe by score is maximal in the order.
 */
public record Safety(int separatedPairs, int hardening) implements Comparable<Safety> {

  public static Safety of(Configuration configuration, HardeningSpace space) {
    List<String> libraries = List.copyOf(configuration.compartmentOf().keySet());
    int separated = 0;
    int hardening = 0;
    for (int i = 0; i < libraries.size(); i++) {
      hardening += space.safety(configuration.hardeningOf(libraries.get(i)));
      for (int j = i + 1; j < libraries.size(); j++) {
        if (configuration.compartmentOf(libraries.get(i)) != configuration.compartmentOf(libraries.get(j))) {
          separated++;
        }
      }
    }
    return new Safety(separated, hardening);
  }

  @Override
  public int compareTo(Safety other) {
    int bySeparation = Integer.compare(separatedPairs, other.separatedPairs);
    return bySeparation != 0 ? bySeparation : Integer.compare(hardening, other.hardening);
  }
}
