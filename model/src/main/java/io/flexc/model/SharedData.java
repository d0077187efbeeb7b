package io.flexc.model;

import java.nio.file.Path;
import java.util.Set;

/** Data that more than one compartment touches and so must live in shared memory. */
public sealed interface SharedData {

  /**
   * A global of {@code ownerLibrary} referenced from other compartments (or whose address is
   * passed through a gate): it goes to {@code .data_shared} through its own section.
   */
  record Global(String symbol, String ownerLibrary, Path file, Set<String> referencedBy)
      implements SharedData {}

  /** A local whose address is passed through a gate: moved to the shared stack or heap. */
  record Local(Path file, int line, String function, String variable, Placement placement)
      implements SharedData {}

  /** An allocation whose result is passed through a gate: moved to the shared heap. */
  record Allocation(Path file, int line, String function, String allocator) implements SharedData {}

  /** Where shared locals go: FlexOS's data shadow stack, or the shared heap. */
  enum Placement {
    DSS,
    HEAP
  }
}
