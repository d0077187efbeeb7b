package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel flavour of mpk's start-up, for three compartments with main in compartment 1: it
 * compiles freestanding and warning-free, needs nothing but the platform's two hooks and the linker
 * script's symbols, names the compartments, and stays out of what a Linux build compiles.
 */
class MpkKernelStartTest {

  private static final List<String> NAMES = List.of("app", "store+index", "net");

  @TempDir Path temporary;

  @Test
  void compilesFreestandingAndNeedsOnlyThePlatformsHooksAndTheLinkerScriptsSymbols() throws Exception {
    Path gates = temporary.resolve("gates");
    MpkGates.write(List.of(), NAMES, 1, MpkGates.StackMode.SHARED, List.of(), gates);
    assertEquals("", Commands.succeed(temporary, List.of("gcc", "-ffreestanding", "-mno-red-zone", "-fno-pic", "-nostdlib", "-O2", "-Wall",
        "-Wextra", "-Werror", "-I", gates.toString(), "-c", gates.resolve(MpkKernelStart.SOURCE).toString(), "-o",
        "kernel.o")));
    Set<String> undefined = Arrays.stream(Commands.succeed(temporary, List.of("nm", "-u", "kernel.o")).split("\n"))
        .map(line -> line.trim().split("\\s+")[1]).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>(Set.of("flexc_platform_set_pkey", "flexc_platform_halt"));
    for (int k = 0; k < NAMES.size(); k++) {
      for (String kind : List.of("data", "bss")) {
        expected.add("__flexc_c" + k + "_" + kind + "_start");
        expected.add("__flexc_c" + k + "_" + kind + "_end");
      }
    }
    assertEquals(expected, undefined);
    String source = Files.readString(gates.resolve(MpkKernelStart.SOURCE));
    assertEquals(List.of("#include <stddef.h>", "#include <stdint.h>"),
        source.lines().filter(line -> line.startsWith("#include <")).toList());
    assertTrue(source.contains("\t\"app\",\n\t\"store+index\",\n\t\"net\",\n};\n"), source);
    assertTrue(source.contains("\tFLEXC_MPK_SWITCH(0, FLEXC_PKRU_C1);\n}\n"), source);
  }

  @Test
  void linuxBuildsDoNotCompileItAndPrivateStacksDoNotGetIt() throws Exception {
    Path shared = temporary.resolve("shared");
    List<GeneratedSource> linux = MpkGates.write(List.of(), NAMES, 0, MpkGates.StackMode.SHARED, List.of(), shared);
    assertTrue(Files.exists(shared.resolve(MpkKernelStart.SOURCE)));
    assertTrue(Files.exists(shared.resolve(MpkKernelStart.HEADER)));
    assertFalse(linux.contains(new GeneratedSource(shared.resolve(MpkKernelStart.SOURCE), Optional.empty())));
    assertTrue(linux.contains(new GeneratedSource(shared.resolve(MpkGates.RUNTIME), Optional.empty())));
    Path dss = temporary.resolve("dss");
    MpkGates.write(List.of(), NAMES, 0, MpkGates.StackMode.DSS, List.of(), dss);
    assertFalse(Files.exists(dss.resolve(MpkKernelStart.SOURCE)));
  }

  @Test
  void writingTwiceGivesTheSameFiles() throws Exception {
    MpkKernelStart.write(NAMES, 2, temporary.resolve("first"));
    MpkKernelStart.write(NAMES, 2, temporary.resolve("second"));
    for (String file : List.of(MpkKernelStart.SOURCE, MpkKernelStart.HEADER)) {
      assertEquals(Files.readString(temporary.resolve("first").resolve(file)),
          Files.readString(temporary.resolve("second").resolve(file)), file);
    }
  }
}
