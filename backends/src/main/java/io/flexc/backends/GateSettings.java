package io.flexc.backends;

import java.util.List;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, mpk's stack mode, and the trust between
 * compartments that flexc.yaml declares (which proc applies).
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks,
    List<CompartmentTrust> trust) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
    trust = List.copyOf(trust);
  }
}
