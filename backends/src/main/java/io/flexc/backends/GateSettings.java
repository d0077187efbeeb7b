package io.flexc.backends;

import java.util.List;
import java.util.Map;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, mpk's stack mode, how many threads can be
 * in calls across compartments at once on the backends that give each a channel (proc, ept), the
 * trust between compartments that flexc.yaml declares, and where shared memory comes from besides
 * the transformer's rules (measured sharing), and what calls answer when their callee's compartment
 * has crashed (by function, from the libraries' {@code [API]} {@code (on-crash, N)}); proc applies
 * the last three.
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks,
    int channels, List<CompartmentTrust> trust, Sharing sharing, Map<String, Long> resultsOnCrash) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
    trust = List.copyOf(trust);
    resultsOnCrash = Map.copyOf(resultsOnCrash);
  }
}
