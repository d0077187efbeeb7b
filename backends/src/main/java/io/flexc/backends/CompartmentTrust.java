package io.flexc.backends;

/**
 * flexc.yaml's trust as the runtime applies it, between compartments: {@code owner}'s data, bss
 * and heap are readable (and writable, if {@code writable}) by {@code reader}. proc applies it with
 * shared mappings made before the fork, mapped readable or writable in the reader's process (stacks
 * stay private); mpk with the reader's PKRU, which leaves the owner's key readable or writable
 * (everything under that key: with private stacks, the owner's stacks too).
 */
public record CompartmentTrust(int owner, int reader, boolean writable) {

  public CompartmentTrust {
    if (owner < 0 || reader < 0 || owner == reader) {
      throw new IllegalArgumentException("trust of compartment " + owner + " by " + reader);
    }
  }
}
