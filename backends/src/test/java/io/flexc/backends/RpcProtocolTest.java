package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gate puts in its registers besides the call, from the call's shape: the result's shape
 * and the stack bytes it forwards; a call beyond the bounds is refused, naming the function and
 * the bound.
 */
class RpcProtocolTest {

  @TempDir Path temporary;

  /** The area holds the 48 MiB shared heap and, per channel, its 256 KiB shadow stack and control block. */
  @Test
  void theSharedAreaGrowsWithItsChannels() {
    assertEquals(65L << 20, RpcProtocol.areaSize(64));
    assertEquals(74L << 20, RpcProtocol.areaSize(100));
    assertEquals(1088L << 20, RpcProtocol.areaSize(4096));
  }

  /** proc's stack areas lie between 0x580000000000 and the heaps: a server thread's stack per channel in each compartment. */
  @Test
  void procRefusesMoreChannelsThanItsStackAreasHold() {
    IOException refused = assertThrows(IOException.class, () -> ProcGates.write(List.of(),
        Collections.nCopies(20, "c"), 0, 4096, List.of(), Sharing.STATIC, Map.of(), temporary));
    assertEquals("proc: 20 compartments with 4096 channels each need more server threads' stacks than proc has room"
        + " for (compartments × (channels + 64) at most 65536); lower build: {channels: N} in flexc.yaml",
        refused.getMessage());
  }

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
