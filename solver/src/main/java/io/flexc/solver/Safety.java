package io.flexc.solver;

import io.flexc.model.Configuration;
import io.flexc.model.Trust;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A configuration's safety as one comparable score: first how many pairs of libraries it keeps in
 * different compartments, then how few of those flexc.yaml's {@code trust:} opens (a separated pair
 * with a trust edge between them is less isolated than one without: the owner is only
 * write-protected from the reader, or not at all; it is still more isolated than a pair that
 * shares a compartment, since the reader stays closed to the owner), then how much hardening it
 * applies ({@link HardeningSpace#safety}). The score grows along the safety order, so the most
 * safe by score is maximal in the order.
 */
public record Safety(int separatedPairs, int trustedPairs, int hardening) implements Comparable<Safety> {

  public static Safety of(Configuration configuration, HardeningSpace space, List<Trust> trust) {
    List<String> libraries = List.copyOf(configuration.compartmentOf().keySet());
    Set<Set<String>> trusting = new HashSet<>();
    trust.forEach(edge -> trusting.add(Set.of(edge.owner(), edge.reader())));
    int separated = 0;
    int trusted = 0;
    int hardening = 0;
    for (int i = 0; i < libraries.size(); i++) {
      hardening += space.safety(configuration.hardeningOf(libraries.get(i)));
      for (int j = i + 1; j < libraries.size(); j++) {
        if (configuration.compartmentOf(libraries.get(i)) != configuration.compartmentOf(libraries.get(j))) {
          separated++;
          if (trusting.contains(Set.of(libraries.get(i), libraries.get(j)))) {
            trusted++;
          }
        }
      }
    }
    return new Safety(separated, trusted, hardening);
  }

  @Override
  public int compareTo(Safety other) {
    int bySeparation = Integer.compare(separatedPairs, other.separatedPairs);
    if (bySeparation != 0) {
      return bySeparation;
    }
    int byTrust = Integer.compare(other.trustedPairs, trustedPairs);
    return byTrust != 0 ? byTrust : Integer.compare(hardening, other.hardening);
  }
}
