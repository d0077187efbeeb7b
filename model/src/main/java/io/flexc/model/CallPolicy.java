package io.flexc.model;

import java.util.List;

/**
 * A library's {@code [Call]} section: the functions of other libraries it calls, and whether it may
 * also transfer control anywhere ({@code XA}: unchecked function pointers, return-oriented code).
 */
public record CallPolicy(boolean anywhere, List<CallTarget> targets) {

  public CallPolicy {
    targets = List.copyOf(targets);
  }

  /** {@code XA}: the unchecked default of C code. */
  public static CallPolicy unrestricted() {
    return new CallPolicy(true, List.of());
  }

  /** {@code X} with a list: only the calls it declares. */
  public static CallPolicy declared(List<CallTarget> targets) {
    return new CallPolicy(false, targets);
  }
}
