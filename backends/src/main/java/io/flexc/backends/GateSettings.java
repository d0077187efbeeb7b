package io.flexc.backends;

import java.util.List;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, mpk's stack mode, and how many threads can
 * be in calls across compartments at once on the backends that give each a channel (proc, ept).
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks,
    int channels) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
  }
}
