package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mpk's per-compartment heaps: the flags that route each library to its heap (RuntimeInCTest runs the heaps). */
class CompartmentHeapsTest {

  @Test
  void eachLibraryCallsItsCompartmentsHeap() {
    assertEquals(Map.of(
            "app", List.of("-Dmalloc=flexc_mpk_malloc_c0", "-Dcalloc=flexc_mpk_calloc_c0",
                "-Drealloc=flexc_mpk_realloc_c0", "-Dfree=flexc_mpk_free_c0"),
            "store", List.of("-Dmalloc=flexc_mpk_malloc_c1", "-Dcalloc=flexc_mpk_calloc_c1",
                "-Drealloc=flexc_mpk_realloc_c1", "-Dfree=flexc_mpk_free_c1")),
        CompartmentHeaps.compilerFlags(Map.of("app", 0, "store", 1)));
  }
}
