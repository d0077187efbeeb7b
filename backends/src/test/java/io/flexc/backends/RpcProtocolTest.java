package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a gate puts in its registers besides the call, from the call's shape: the result's shape
 * and the stack bytes it forwards; a call beyond the bounds is refused, naming the function and
 * the bound.
 */
class RpcProtocolTest {

  private static Gate gate(Optional<CallShape> shape) {
    Prototype spelled = new Prototype("LIB_API int", "int n, ...", true, Path.of("lib.c"));
    return new Gate(Gate.name(0, "f"), 0, 1, "lib", "f", Optional.of(shape.map(spelled::withShape).orElse(spelled)));
  }

  private static RpcProtocol.GateWords words(CallShape shape) throws IOException {
    return RpcProtocol.GateWords.of(gate(Optional.of(shape)), "proc");
  }

  @Test
  void aKnownShapeForwardsItsOwnStackArgumentsAndSaysWhereTheResultIs() throws IOException {
    assertEquals(new RpcProtocol.GateWords(0, 16, Optional.empty()), words(new CallShape(8, false, 16, 0, false)));
    assertEquals(new RpcProtocol.GateWords(40, 0, Optional.empty()), words(new CallShape(1, false, 0, 40, false)));
    assertEquals(new RpcProtocol.GateWords(0x10000, 16, Optional.empty()), words(new CallShape(1, false, 16, 0, true)));
    // A variadic call passes as many as its caller did: the whole bound.
    assertEquals(new RpcProtocol.GateWords(0, 256, Optional.empty()), words(new CallShape(2, true, 0, 0, false)));
  }

  @Test
  void anUnknownShapeForwardsTheBoundAndSaysSo() throws IOException {
    assertEquals(new RpcProtocol.GateWords(0, 256, Optional.of("call shape not known: the result taken to come back"
        + " in registers, and at most 256 bytes of stack arguments forwarded")),
        RpcProtocol.GateWords.of(gate(Optional.empty()), "proc"));
    assertEquals(256, RpcProtocol.GateWords.of(new Gate(Gate.name(0, "g"), 0, 1, "lib", "g", Optional.empty()), "ept")
        .stackBytes());
  }

  @Test
  void aCallBeyondTheBoundsIsRefusedNamingTheFunctionAndTheBound() {
    IOException stack = assertThrows(IOException.class, () -> words(new CallShape(40, false, 264, 0, false)));
    assertEquals("proc: gate flexc_gate_c0_f: f takes 264 bytes of stack arguments, more than the 256 a gate"
        + " forwards (FLEXC_STACK_ARGUMENT_BYTES); keep its callers in lib's compartment, pass a structure by pointer, or"
        + " use the fcall backend",
        stack.getMessage());
    IOException memory = assertThrows(IOException.class, () -> words(new CallShape(0, false, 0, 1024, false)));
    assertEquals("proc: gate flexc_gate_c0_f: f returns a result of 1024 bytes in memory, more than the 512 a gate"
        + " carries back (FLEXC_RESULT_IN_MEMORY_BYTES); keep its callers in lib's compartment, pass a structure"
        + " by pointer, or use the fcall backend", memory.getMessage());
  }
}
