package io.flexc.backends;

import java.util.List;

/**
 * What gates are generated for: each compartment's name (its libraries joined with '+', by
 * compartment number), the compartment of {@code main}, and mpk's stack mode.
 */
public record GateSettings(List<String> compartmentNames, int mainCompartment, MpkGates.StackMode stacks) {

  public GateSettings {
    compartmentNames = List.copyOf(compartmentNames);
  }
}
