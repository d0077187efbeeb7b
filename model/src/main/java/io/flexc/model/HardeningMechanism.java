package io.flexc.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A software-hardening mechanism defined as data: the behaviours it takes away from a library it is
 * applied to ({@code [Effect] ::= WA -> W}), the mechanisms that must be applied with it for that
 * effect to hold ({@code [Needs]}: CFI protects forward edges only, so it needs a backward-edge
 * protection), its estimated run-time cost and safety gain, and the flags that apply it.
 *
 * <p>Cost is a relative overhead in percent; safety is a unitless gain used to rank configurations
 * whose compartments are equal. Neither is hard-coded anywhere: they come from definition files.
 */
public record HardeningMechanism(
    String name,
    String description,
    Set<Behaviour> restricts,
    Set<String> needs,
    int cost,
    int safety,
    List<String> compilerFlags,
    List<String> linkerFlags) {

  public HardeningMechanism {
    Names.requireIdentifier(name, "mechanism name");
    Objects.requireNonNull(description, "description");
    if (!description.isEmpty()) {
      Names.requireQuotable(description, "description");
    }
    restricts = restricts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(restricts));
    needs = Set.copyOf(needs);
    needs.forEach(needed -> Names.requireIdentifier(needed, "needed mechanism"));
    if (needs.contains(name)) {
      throw new IllegalArgumentException(name + " cannot need itself");
    }
    if (cost < 0 || safety < 0) {
      throw new IllegalArgumentException("cost and safety are not negative: " + cost + ", " + safety);
    }
    compilerFlags = List.copyOf(compilerFlags);
    linkerFlags = List.copyOf(linkerFlags);
    compilerFlags.forEach(flag -> Names.requireQuotable(flag, "compiler flag"));
    linkerFlags.forEach(flag -> Names.requireQuotable(flag, "linker flag"));
  }
}
