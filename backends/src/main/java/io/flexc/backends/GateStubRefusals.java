package io.flexc.backends;

import io.flexc.model.Gate;
import java.util.List;
import java.util.Optional;

/**
 * The gates a backend whose gates are C stubs (proc, ept, mpk) cannot carry, with why: the same
 * reasons its stubs' generation refuses them for, asked of the prototypes before the rewrite.
 */
public final class GateStubRefusals {

  private GateStubRefusals() {}

  /** One message per gate of {@code gates} that {@code backend}'s stubs cannot forward, in order. */
  public static List<String> of(List<Gate> gates, String backend) {
    return gates.stream().map(gate -> StubSignature.refusal(gate, backend)).flatMap(Optional::stream).toList();
  }
}
