package io.flexc.backends;

/**
 * flexc.yaml's trust as the runtime applies it, between compartments: {@code owner}'s data, bss
 * and heap are readable (and writable, if {@code writable}) by {@code reader}. Stacks stay private.
 * Only proc applies it today (ProcGates: shared mappings made before the fork, mapped readable or
 * writable in the reader's process).
 */
public record CompartmentTrust(int owner, int reader, boolean writable) {

  public CompartmentTrust {
    if (owner < 0 || reader < 0 || owner == reader) {
      throw new IllegalArgumentException("trust of compartment " + owner + " by " + reader);
    }
  }
}
