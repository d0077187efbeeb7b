package io.flexc.backends;

import java.util.List;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, mpk's stack mode, and where shared memory
 * comes from besides the transformer's rules (proc's measured sharing).
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks,
    Sharing sharing) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
  }

  public GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks) {
    this(compartmentNames, mainCompartment, stacks, Sharing.STATIC);
  }
}
