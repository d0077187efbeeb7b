package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backends' runtime pieces as C on their own: each has a small C test (src/test/c) that links
 * or includes the piece as flexc writes it, compiled with gcc and clang at {@code -Wall -Wextra
 * -Werror}, run, and expected to print its one line of success.
 */
class RuntimeInCTest {

  private static final Path TESTS = Path.of("src/test/c");

  @TempDir Path temporary;

  static Stream<String> compilers() {
    return Stream.of("gcc", "clang");
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void rpcProtocolServesCallsTheSharedHeapAndTheShadowStack(String compiler)
      throws IOException, InterruptedException {
    RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", 1, 0x7e0000000000L, 64), temporary);
    assertEquals("rpc: ok\n", run(compiler, "test_rpc.c", List.of(), temporary.resolve(RpcProtocol.SOURCE),
        temporary.resolve(RpcProtocol.ABI_SOURCE), temporary.resolve(RpcProtocol.HEAP_SOURCE)));
  }

  /** The shared heap: reuse, merging, bins that give way, four threads, two processes, and each compartment's figures. */
  @ParameterizedTest
  @MethodSource("compilers")
  void sharedHeapFreesReusesAndCountsPerCompartment(String compiler) throws IOException, InterruptedException {
    RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", 2, 0x7e0000000000L, 4), temporary);
    assertEquals("shared heap: ok\n", run(compiler, "test_shared_heap.c", List.of(),
        temporary.resolve(RpcProtocol.HEAP_SOURCE)));
  }

  /**
   * Gates at the ABI level between two processes: integer, double, pointer, mixed and stack
   * arguments, variadic calls, a structure returned in memory, a long double, a call back, and a
   * gate called in its callee's own compartment.
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void gatesForwardCallsAtTheAbiLevel(String compiler) throws IOException, InterruptedException {
    RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", 2, 0x7e0000000000L, 64), temporary);
    assertEquals("abi: ok\n", run(compiler, "test_rpc_abi.c", List.of(), temporary.resolve(RpcProtocol.SOURCE),
        temporary.resolve(RpcProtocol.ABI_SOURCE), temporary.resolve(RpcProtocol.HEAP_SOURCE)));
  }

  /**
   * longjmp across gates between two processes, as Lua's error() raised in a callback and caught
   * by lua_pcall: with proc's interposed longjmp, and without it (ept).
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void errorsThatJumpAcrossGatesUnwindEveryCompartment(String compiler) throws IOException, InterruptedException {
    ProcGates.write(List.of(), List.of("app", "lib"), 0, 64, List.of(), Sharing.STATIC, Map.of(), temporary.resolve("proc"));
    RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", 2, 0x7e0000000000L, 64), temporary);
    assertEquals("unwind: ok\n", run(compiler, "test_rpc_unwind.c", List.of(), temporary.resolve(RpcProtocol.SOURCE),
        temporary.resolve(RpcProtocol.ABI_SOURCE), temporary.resolve("proc").resolve(ProcGates.UNWIND)));
    // Built again without it, as on ept: run with the scenario that needs it left out.
    Path without = build(compiler, "test_rpc_unwind.c", List.of(), temporary.resolve(RpcProtocol.SOURCE),
        temporary.resolve(RpcProtocol.ABI_SOURCE));
    assertEquals("unwind: ok\n", Commands.succeed(Path.of("."), List.of(without.toString(), "without-interposer")));
  }

  /**
   * fork with four channels: children calling on channels of their own while the parent calls,
   * 40 in a row ending by exit, _exit or SIGKILL (their channels taken again), a call back into a
   * killed child failing, a callee that forks, a child returning across a gate stopped.
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void forkedChildrenCallOnChannelsOfTheirOwnThatAreTakenAgainWhenTheyEnd(String compiler)
      throws IOException, InterruptedException {
    RpcProtocol.writeProtocol(new RpcProtocol.Area("proc", 2, 0x7e0000000000L, 4), temporary);
    assertEquals("fork: ok\n", run(compiler, "test_rpc_fork.c", List.of(), temporary.resolve(RpcProtocol.SOURCE),
        temporary.resolve(RpcProtocol.ABI_SOURCE)));
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void heapsKeepTheirBlocksApartUnderFourThreads(String compiler) throws IOException, InterruptedException {
    Path heaps = CompartmentHeaps.write(2, temporary);
    // No protection keys on this machine: test_heaps.c's plain mprotect stands in for pkey_mprotect.
    assertEquals("heaps: ok\n", run(compiler, "test_heaps.c", List.of("-Dpkey_mprotect=key_ignoring_mprotect"), heaps));
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void procMemoryIsTheProgramsMallocAndNamesWhatItHoldsWithoutTheOtherCompartments(String compiler)
      throws IOException, InterruptedException {
    ProcGates.write(List.of(), List.of("app", "vault"), 0, 64, List.of(), Sharing.STATIC, Map.of(), temporary);
    assertEquals("proc memory: ok\n", run(compiler, "test_proc_memory.c", List.of()));
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void sharedMemoryRuntimeAllocatesFromTheProcessHeap(String compiler) throws IOException, InterruptedException {
    Path runtime = SharedMemoryRuntime.write(temporary, true);
    assertEquals("shared: ok\n", run(compiler, "test_shared_runtime.c", List.of(), runtime));
  }

  /**
   * The runtimes with holes (mpk in each stack mode with its kernel start, proc, ept with its
   * images), written for two compartments without gates: each C file compiles cleanly.
   */
  @ParameterizedTest
  @MethodSource("compilers")
  void generatedRuntimesCompileWithoutWarnings(String compiler) throws IOException, InterruptedException {
    assumeTrue(installed(compiler), compiler + " is not installed (scripts/install-dependencies.sh installs it)");
    List<String> names = List.of("app", "vault");
    for (MpkGates.StackMode mode : MpkGates.StackMode.values()) {
      MpkGates.write(List.of(), names, 1, mode, List.of(new CompartmentTrust(0, 1, false)),
          temporary.resolve("mpk-" + mode.label()));
    }
    ProcGates.write(List.of(), names, 1, 64, List.of(new CompartmentTrust(0, 1, false)), Sharing.STATIC, Map.of(),
        temporary.resolve("proc"));
    EptGates.write(List.of(), names, 1, 64, temporary.resolve("ept"));
    List<Path> sources;
    try (Stream<Path> files = Files.walk(temporary)) {
      sources = files.filter(file -> file.toString().endsWith(".c")).sorted().toList();
    }
    assertEquals(25, sources.size(), sources::toString);
    for (Path source : sources) {
      Path directory = source.getParent().getFileName().toString().startsWith("image_c")
          ? source.getParent().getParent() : source.getParent();
      assertEquals("", Commands.succeed(Path.of("."), List.of(compiler, "-O2", "-Wall", "-Wextra", "-Werror",
          "-DFLEXC_EPT_KVM", "-I", directory.toString(), "-c", "-o", source + ".o", source.toString())));
    }
  }

  /** Builds the C test {@code test} and {@code flags} with the generated {@code sources} (headers from the temporary directory) and runs it. */
  private String run(String compiler, String test, List<String> flags, Path... sources) throws IOException, InterruptedException {
    return Commands.succeed(Path.of("."), List.of(build(compiler, test, flags, sources).toString()));
  }

  /** Builds the C test {@code test} and {@code flags} with the generated {@code sources}; returns the program. */
  private Path build(String compiler, String test, List<String> flags, Path... sources) throws IOException, InterruptedException {
    assumeTrue(installed(compiler), compiler + " is not installed (scripts/install-dependencies.sh installs it)");
    Path program = temporary.resolve(test.replace(".c", "") + "-" + compiler);
    List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
        "-I", temporary.toString(), "-o", program.toString(), TESTS.resolve(test).toString()));
    command.addAll(flags);
    for (Path source : sources) {
      command.add(source.toString());
    }
    assertEquals("", Commands.succeed(Path.of("."), command));
    return program;
  }

  static boolean installed(String compiler) throws InterruptedException {
    try {
      return new ProcessBuilder(compiler, "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
