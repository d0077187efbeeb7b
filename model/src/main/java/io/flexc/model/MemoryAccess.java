package io.flexc.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * One right of a library's code over memory, as its {@code [Memory Access]} section declares:
 * reading or writing its own memory, the shared area, or any memory its compartment can reach.
 *
 * <p>Access to {@code ANY} memory implies access to the library's own memory and the shared area;
 * {@link #closure} adds those implied rights so that equal meanings have equal sets.
 */
public enum MemoryAccess {
  READ_OWN(Region.OWN, Operation.READ),
  WRITE_OWN(Region.OWN, Operation.WRITE),
  READ_SHARED(Region.SHARED, Operation.READ),
  WRITE_SHARED(Region.SHARED, Operation.WRITE),
  READ_ANY(Region.ANY, Operation.READ),
  WRITE_ANY(Region.ANY, Operation.WRITE);

  /** Whose memory an access touches. */
  public enum Region {
    OWN,
    SHARED,
    ANY
  }

  /** Reading or writing. */
  public enum Operation {
    READ,
    WRITE
  }

  private final Region region;
  private final Operation operation;

  MemoryAccess(Region region, Operation operation) {
    this.region = region;
    this.operation = operation;
  }

  public Region region() {
    return region;
  }

  public Operation operation() {
    return operation;
  }

  public static MemoryAccess of(Region region, Operation operation) {
    for (MemoryAccess access : values()) {
      if (access.region == region && access.operation == operation) {
        return access;
      }
    }
    throw new AssertionError("every region and operation pair has a constant");
  }

  /** {@code accesses} plus everything they imply, as an unmodifiable set. */
  public static Set<MemoryAccess> closure(Set<MemoryAccess> accesses) {
    EnumSet<MemoryAccess> closed = EnumSet.noneOf(MemoryAccess.class);
    closed.addAll(accesses);
    for (MemoryAccess access : accesses) {
      if (access.region == Region.ANY) {
        closed.add(of(Region.OWN, access.operation));
        closed.add(of(Region.SHARED, access.operation));
      }
    }
    return Set.copyOf(closed);
  }
}
