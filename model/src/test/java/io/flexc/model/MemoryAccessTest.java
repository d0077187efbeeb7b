package io.flexc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Access to any memory implies the narrower rights; behaviours follow from RA, WA and XA. */
class MemoryAccessTest {

  @Test
  void anyImpliesOwnAndShared() {
    assertEquals(
        Set.of(MemoryAccess.READ_ANY, MemoryAccess.READ_OWN, MemoryAccess.READ_SHARED, MemoryAccess.WRITE_OWN),
        MemoryAccess.closure(Set.of(MemoryAccess.READ_ANY, MemoryAccess.WRITE_OWN)));
    assertEquals(Set.of(MemoryAccess.WRITE_SHARED), MemoryAccess.closure(Set.of(MemoryAccess.WRITE_SHARED)));
    assertEquals(Set.of(), MemoryAccess.closure(Set.of()));
    assertEquals(MemoryAccess.WRITE_ANY,
        MemoryAccess.of(MemoryAccess.Region.ANY, MemoryAccess.Operation.WRITE));
  }

  @Test
  void equalMeaningsGiveEqualMetadata() {
    LibraryMetadata narrow = library(Set.of(MemoryAccess.READ_ANY), CallPolicy.declared(List.of()));
    LibraryMetadata spelledOut = library(
        Set.of(MemoryAccess.READ_ANY, MemoryAccess.READ_OWN, MemoryAccess.READ_SHARED), CallPolicy.declared(List.of()));
    assertEquals(spelledOut, narrow);
  }

  @Test
  void behavioursComeFromAnyAccessAndUncheckedCalls() {
    assertEquals(Set.of(Behaviour.READ_ANY, Behaviour.WRITE_ANY, Behaviour.EXECUTE_ANY),
        LibraryMetadata.unverifiedC("lwip").behaviours());
    assertEquals(Set.of(Behaviour.WRITE_ANY),
        library(Set.of(MemoryAccess.WRITE_ANY, MemoryAccess.READ_OWN), CallPolicy.declared(List.of())).behaviours());
    assertEquals(Set.of(),
        library(Set.of(MemoryAccess.READ_OWN, MemoryAccess.WRITE_SHARED),
            CallPolicy.declared(List.of(new CallTarget("alloc", "uk_malloc")))).behaviours());
  }

  @Test
  void eachBehaviourNamesItsNotationAndThePermissionItNeeds() {
    assertEquals(Behaviour.WRITE_ANY, Behaviour.fromNotation("WA"));
    assertEquals("W", Behaviour.WRITE_ANY.restrictedNotation());
    assertEquals(Permission.W, Behaviour.WRITE_ANY.requiredPermission());
    assertEquals(Permission.R, Behaviour.READ_ANY.requiredPermission());
    assertEquals(Permission.X, Behaviour.fromNotation("XA").requiredPermission());
    assertNull(Behaviour.fromNotation("W"));
  }

  @Test
  void duplicateApiSymbolsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LibraryMetadata("a", Set.of(), CallPolicy.unrestricted(),
        List.of(ApiFunction.of("f"), ApiFunction.of("f")), Set.of(), Optional.empty(), Optional.empty(),
        Optional.empty()));
  }

  private static LibraryMetadata library(Set<MemoryAccess> memory, CallPolicy call) {
    return new LibraryMetadata(
        "lib", memory, call, List.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
