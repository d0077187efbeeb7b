package io.flexc.backends;

import io.flexc.layout.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * mpk's per-compartment heaps: each compartment's {@code malloc}, {@code calloc}, {@code realloc}
 * and {@code free} become its own heap's, in pages under its key, so another compartment cannot
 * read or write what it allocates. The calls are renamed at compile time ({@code
 * -Dmalloc=flexc_mpk_malloc_c<k>} in each library's flags, kept by the generated Makefile); the C
 * library's own allocations and the shared allocator ({@code flexos_malloc_whitelist}) stay on the
 * shared process heap, and a compartment's {@code free} or {@code realloc} of memory it did not
 * allocate (a string from {@code strdup}, a shared buffer) goes to the C library's. Each heap is
 * at a fixed address with its record (lock, free list) in its own first bytes, so nothing that
 * steers a compartment's allocations lies in memory another compartment can write.
 */
public final class CompartmentHeaps {

  public static final String FILE = "flexc_mpk_heaps.c";

  private static final List<String> FUNCTIONS = List.of("malloc", "calloc", "realloc", "free");

  private CompartmentHeaps() {}

  /** Each library's extra compiler flags: its allocation calls renamed to its compartment's heap. */
  public static Map<String, List<String>> compilerFlags(Map<String, Integer> compartmentOf) {
    Map<String, List<String>> flags = new LinkedHashMap<>();
    compartmentOf.forEach((library, k) -> flags.put(library,
        FUNCTIONS.stream().map(function -> "-D" + function + "=flexc_mpk_" + function + "_c" + k).toList()));
    return flags;
  }

  static Path write(int compartments, Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    Files.writeString(file, Templates.group(CompartmentHeaps.class, "heaps/heaps.stg").render("heaps", "compartments", compartments,
        "allocator", Templates.text(CompartmentHeaps.class, "heaps/flexc_heap.c"), "heaps", IntStream.range(0, compartments).boxed().toList()),
        StandardCharsets.UTF_8);
    return file;
  }
}
