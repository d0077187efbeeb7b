package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mpk's per-compartment heaps: the flags that route each library to its heap, and the heaps under load. */
class CompartmentHeapsTest {

  @TempDir Path temporary;

  @Test
  void eachLibraryCallsItsCompartmentsHeap() {
    assertEquals(Map.of(
            "app", List.of("-Dmalloc=flexc_mpk_malloc_c0", "-Dcalloc=flexc_mpk_calloc_c0",
                "-Drealloc=flexc_mpk_realloc_c0", "-Dfree=flexc_mpk_free_c0"),
            "store", List.of("-Dmalloc=flexc_mpk_malloc_c1", "-Dcalloc=flexc_mpk_calloc_c1",
                "-Drealloc=flexc_mpk_realloc_c1", "-Dfree=flexc_mpk_free_c1")),
        CompartmentHeaps.compilerFlags(Map.of("app", 0, "store", 1)));
  }

  @Test
  void heapsKeepTheirBlocksApartUnderFourThreads() throws IOException, InterruptedException {
    Path heaps = CompartmentHeaps.write(2, temporary);
    Path stress = Path.of("src/test/resources/heaps/stress.c");
    Path program = temporary.resolve("stress");
    // No protection keys on this machine: stress.c's plain mprotect stands in for pkey_mprotect.
    assertEquals("", Commands.succeed(Path.of("."), List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
        "-Dpkey_mprotect=key_ignoring_mprotect", "-o", program.toString(), heaps.toString(), stress.toString())));
    assertEquals("heaps: ok\n", Commands.succeed(Path.of("."), List.of(program.toString())));
  }
}
