package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flexc.model.CallShape;
import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * mpk's gates as assembly that forwards calls at the ABI level: generated for the functions of
 * src/test/c/test_mpk_gates.c, compiled with gcc and clang at {@code -Wall -Wextra -Werror}, and
 * run on this CPU, which has no protection keys, with PKRU played by a variable (fake_pkru.h).
 */
class MpkGatesTest {

  private static final Path TESTS = Path.of("src/test/c");
  private static final List<String> NAMES = List.of("app", "lib");

  @TempDir Path temporary;

  /** A prototype whose text says nothing (the gates do not read it) with the compiler's shape. */
  private static Optional<Prototype> shaped(CallShape shape) {
    return Optional.of(new Prototype("int", "", shape.variadic(), Path.of("lib.c")).withShape(shape));
  }

  private static Gate gate(int caller, String function, Optional<Prototype> prototype) {
    int callee = 1 - caller;
    return new Gate(Gate.name(caller, function), caller, callee, NAMES.get(callee), function, prototype);
  }

  /** The gates test_mpk_gates.c calls: shapes as gcc lays the calls out; lib_pair's is not known. */
  private static List<Gate> gates() {
    return List.of(
        gate(0, "lib_format", shaped(new CallShape(3, true, 0, 0, false))),
        gate(0, "lib_many", shaped(new CallShape(17, false, 24, 0, false))),
        gate(0, "lib_big", shaped(new CallShape(2, false, 0, 40, false))),
        gate(0, "lib_half", shaped(new CallShape(1, false, 16, 0, true))),
        gate(0, "lib_pair", Optional.empty()),
        gate(0, "lib_point", shaped(new CallShape(1, false, 0, 0, false))),
        gate(0, "lib_apply", shaped(new CallShape(1, false, 0, 0, false))),
        gate(1, "app_square", shaped(new CallShape(1, false, 0, 0, false))),
        gate(0, "lib_twice_through_entry", shaped(new CallShape(1, false, 0, 0, false))),
        Gate.entry(1, "lib", "lib_twice", shaped(new CallShape(1, false, 0, 0, false))));
  }

  @ParameterizedTest
  @CsvSource({"gcc, SHARED", "clang, SHARED", "gcc, DSS", "clang, PRIVATE"})
  void gatesForwardRegistersStackAndResults(String compiler, MpkGates.StackMode stacks)
      throws IOException, InterruptedException {
    assumeTrue(RuntimeInCTest.installed(compiler), compiler + " is not installed");
    MpkGates.write(gates(), NAMES, 0, stacks, List.of(), temporary);
    Path program = temporary.resolve("test_mpk_gates");
    List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-Wall", "-Wextra", "-Werror", "-include",
        TESTS.resolve("fake_pkru.h").toString(), "-I", temporary.toString(), "-o", program.toString(),
        TESTS.resolve("test_mpk_gates.c").toString(), temporary.resolve("mpk_gates_lib.c").toString(),
        temporary.resolve("mpk_gates_app.c").toString()));
    if (stacks.privateStacks()) {
      command.add("-DPRIVATE_STACKS");
    }
    assertEquals("", Commands.succeed(Path.of("."), command));
    assertEquals("gates: ok\n", Commands.succeed(Path.of("."), List.of(program.toString())));
    Process borrow = new ProcessBuilder(program.toString(), "borrow").redirectErrorStream(true).start();
    assertEquals("violation: PKRU written 0x" + Long.toHexString(MpkGates.pkru(0, 2, List.of())) + "\n",
        new String(borrow.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(3, borrow.waitFor());
  }

  @Test
  void trustLeavesTheOwnersKeyReadableOrWritableInItsReadersPkruOnly() throws IOException {
    // Compartment k has key k + 1: bits 2(k+1) (access disabled) and 2(k+1)+1 (write disabled).
    assertEquals(0b11_11_00_00L, MpkGates.pkru(0, 3, List.of()));
    assertEquals(0b10_11_00_00L, MpkGates.pkru(0, 3, List.of(new CompartmentTrust(2, 0, false))));
    assertEquals(0b00_11_00_00L, MpkGates.pkru(0, 3, List.of(new CompartmentTrust(2, 0, true))));
    assertEquals(0b11_00_11_00L, MpkGates.pkru(1, 3, List.of(new CompartmentTrust(2, 0, true))));
    MpkGates.write(gates(), NAMES, 0, MpkGates.StackMode.SHARED, List.of(new CompartmentTrust(1, 0, false)),
        temporary);
    assertTrue(Files.readString(temporary.resolve(MpkGates.HEADER)).contains(
        String.format("%08x", MpkGates.pkru(0, 2, List.of(new CompartmentTrust(1, 0, false))))));
  }

  @Test
  void gatesSayHowMuchStackTheyCopy() throws IOException {
    MpkGates.write(gates(), NAMES, 0, MpkGates.StackMode.DSS, List.of(), temporary);
    String lib = Files.readString(temporary.resolve("mpk_gates_lib.c"));
    assertTrue(lib.contains("/* compartment 0 -> 1 */\n"
        + "FLEXC_MPK_GATE(flexc_gate_c0_lib_format, lib_format, 0, 1, FLEXC_STACK_ARGUMENT_BYTES, 0);\n"), lib);
    assertTrue(lib.contains("FLEXC_MPK_GATE(flexc_gate_c0_lib_many, lib_many, 0, 1, 32, 0);\n"), lib);
    assertTrue(lib.contains("FLEXC_MPK_GATE(flexc_gate_c0_lib_big, lib_big, 0, 1, 0, 40);\n"), lib);
    assertTrue(lib.contains("FLEXC_MPK_GATE(flexc_gate_c0_lib_pair, lib_pair, 0, 1, FLEXC_STACK_ARGUMENT_BYTES, 0);\n"),
        lib);
    assertTrue(lib.contains("""
        /* any compartment -> 1 (a function pointer's target) */
        __asm__(FLEXC_MPK_ENTRY(flexc_entry_lib_twice, lib_twice, 1)
        	FLEXC_MPK_DISPATCH(flexc_entry_lib_twice, 0)
        	FLEXC_MPK_DIRECT(flexc_entry_lib_twice, lib_twice)
        	FLEXC_MPK_FROM(flexc_entry_lib_twice, lib_twice, 0, 1, 0, 0)
        	FLEXC_MPK_END(flexc_entry_lib_twice));
        """), lib);
  }

  /** With three compartments an entry gate compares PKRU with each, and comes in from both others. */
  @ParameterizedTest
  @CsvSource({"gcc, SHARED", "clang, DSS"})
  void entryGatesComeInFromEveryOtherCompartment(String compiler, MpkGates.StackMode stacks)
      throws IOException, InterruptedException {
    assumeTrue(RuntimeInCTest.installed(compiler), compiler + " is not installed");
    Optional<Prototype> shape = shaped(new CallShape(2, true, 0, 0, false));
    MpkGates.write(List.of(Gate.entry(1, "lib", "lib_log", shape)), List.of("app", "lib", "net"), 0, stacks, List.of(), temporary);
    Path gates = temporary.resolve("mpk_gates_lib.c");
    assertTrue(Files.readString(gates).contains("""
        __asm__(FLEXC_MPK_ENTRY(flexc_entry_lib_log, lib_log, 1)
        	FLEXC_MPK_DISPATCH(flexc_entry_lib_log, 0)
        	FLEXC_MPK_DISPATCH(flexc_entry_lib_log, 2)
        	FLEXC_MPK_DIRECT(flexc_entry_lib_log, lib_log)
        	FLEXC_MPK_FROM(flexc_entry_lib_log, lib_log, 0, 1, FLEXC_STACK_ARGUMENT_BYTES, 0)
        	FLEXC_MPK_FROM(flexc_entry_lib_log, lib_log, 2, 1, FLEXC_STACK_ARGUMENT_BYTES, 0)
        	FLEXC_MPK_END(flexc_entry_lib_log));
        """), Files.readString(gates));
    Path object = temporary.resolve("gates.o");
    assertEquals("", Commands.succeed(Path.of("."), List.of(compiler, "-O2", "-Wall", "-Wextra", "-Werror", "-I",
        temporary.toString(), "-c", "-o", object.toString(), gates.toString())));
    String disassembly = Commands.succeed(Path.of("."), List.of("objdump", "-d", "--no-show-raw-insn", object.toString()));
    assertEquals(4, disassembly.split("wrpkru", -1).length - 1, disassembly);
  }

  @Test
  void aCalleeWithMoreStackArgumentsThanTheBoundIsRefused() {
    Gate wide = gate(0, "lib_wide", shaped(new CallShape(40, false, 272, 0, false)));
    IOException refusal = assertThrows(IOException.class,
        () -> MpkGates.write(List.of(wide), NAMES, 0, MpkGates.StackMode.SHARED, List.of(), temporary));
    assertEquals("mpk: gate flexc_gate_c0_lib_wide: lib_wide takes 272 bytes of stack arguments, more than the 256"
        + " a gate forwards (FLEXC_STACK_ARGUMENT_BYTES); keep its callers in lib's compartment, pass a structure"
        + " by pointer, or use the fcall backend", refusal.getMessage());
  }
}
