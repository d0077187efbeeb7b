package io.flexc.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the metadata and the solver know of an isolation backend, which the backends module's
 * {@code IsolationBackend} returns: its names, what a gate costs, and its limits. The solver applies
 * these fields generically; nothing here names a particular backend.
 *
 * @param label the name used in flexc.yaml and on the command line
 * @param kraftDriver the {@code mechanism.driver} naming it in FlexOS's kraft.yaml, if FlexOS has it
 * @param gateCycles what one gate crossing costs, in cycles ({@code --gate-cycles} overrides it)
 * @param compartmentLimit the most compartments it can isolate, if it has a limit
 * @param trustedRoles roles whose libraries it trusts (they run its gates or hand out its memory),
 *     so they must be verified
 * @param replicatedRoles roles of which every compartment carries its own copy
 */
public record Backend(
    String label,
    Optional<String> kraftDriver,
    int gateCycles,
    OptionalInt compartmentLimit,
    Set<String> trustedRoles,
    Set<String> replicatedRoles) {

  public Backend {
    if (!Names.isIdentifier(label)) {
      throw new IllegalArgumentException("not a backend label: " + label);
    }
    Objects.requireNonNull(kraftDriver, "kraftDriver");
    if (gateCycles < 0) {
      throw new IllegalArgumentException("negative gate cost for backend " + label);
    }
    if (compartmentLimit.isPresent() && compartmentLimit.getAsInt() < 1) {
      throw new IllegalArgumentException("backend " + label + " must allow at least one compartment");
    }
    trustedRoles = Set.copyOf(trustedRoles);
    replicatedRoles = Set.copyOf(replicatedRoles);
  }

  @Override
  public String toString() {
    return label;
  }
}
