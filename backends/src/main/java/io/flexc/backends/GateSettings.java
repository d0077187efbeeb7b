package io.flexc.backends;

import java.util.List;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, mpk's stack mode, how many threads can be
 * in calls across compartments at once on the backends that give each a channel (proc, ept), the
 * trust between compartments that flexc.yaml declares, and where shared memory comes from besides
 * the transformer's rules (measured sharing); proc applies the last two.
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks,
    int channels, List<CompartmentTrust> trust, Sharing sharing) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
    trust = List.copyOf(trust);
  }
}
