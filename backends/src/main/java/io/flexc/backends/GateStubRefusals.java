package io.flexc.backends;

import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the ABI-level gates of proc, ept and mpk cannot carry, with why: a callee whose fixed stack
 * arguments exceed the block a gate forwards, or (proc, ept) whose result in memory exceeds what a
 * reply carries back. Decided from the callee's call shape alone, so that a build can ask before it
 * rewrites anything, and the stubs' generation refuses with the same words.
 */
public final class GateStubRefusals {

  /** The caller's stack a gate forwards at most (FLEXC_STACK_ARGUMENT_BYTES): 32 eightbytes. */
  public static final int STACK_ARGUMENT_BYTES = 256;
  /** The largest result in memory a proc or ept reply carries back (FLEXC_RESULT_IN_MEMORY_BYTES). */
  public static final int RESULT_IN_MEMORY_BYTES = 512;

  private GateStubRefusals() {}

  /** One message per gate of {@code gates} that {@code backend}'s stubs cannot forward, in order. */
  public static List<String> of(List<Gate> gates, String backend, boolean boundedResult) {
    return gates.stream().map(gate -> refusal(gate, backend, boundedResult)).flatMap(Optional::stream).toList();
  }

  /** Refuses {@code gate} with the reason {@link #of} gives, if it has one. */
  static void check(Gate gate, String backend, boolean boundedResult) throws IOException {
    Optional<String> refusal = refusal(gate, backend, boundedResult);
    if (refusal.isPresent()) {
      throw new IOException(refusal.get());
    }
  }

  private static Optional<String> refusal(Gate gate, String backend, boolean boundedResult) {
    Optional<CallShape> known = gate.prototype().flatMap(Prototype::shape);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    CallShape shape = known.get();
    String way = "; keep its callers in " + gate.calleeLibrary() + "'s compartment, pass a structure by pointer, or use the"
        + " fcall backend";
    if (shape.fixedStackBytes() > STACK_ARGUMENT_BYTES) {
      return Optional.of(backend + ": gate " + gate.name() + ": " + gate.function() + " takes "
          + shape.fixedStackBytes() + " bytes of stack arguments, more than the " + STACK_ARGUMENT_BYTES
          + " a gate forwards (FLEXC_STACK_ARGUMENT_BYTES)" + way);
    }
    if (boundedResult && shape.resultInMemoryBytes() > RESULT_IN_MEMORY_BYTES) {
      return Optional.of(backend + ": gate " + gate.name() + ": " + gate.function() + " returns a result of "
          + shape.resultInMemoryBytes() + " bytes in memory, more than the " + RESULT_IN_MEMORY_BYTES
          + " a gate carries back (FLEXC_RESULT_IN_MEMORY_BYTES)" + way);
    }
    return Optional.empty();
  }
}
