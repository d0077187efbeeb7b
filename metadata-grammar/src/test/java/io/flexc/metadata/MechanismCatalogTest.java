package io.flexc.metadata;

import static io.flexc.metadata.TestSupport.formatted;
import static io.flexc.metadata.TestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Behaviour;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.Located;
import io.flexc.model.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in mechanisms, and what a user directory of *.mech files adds or replaces. */
class MechanismCatalogTest {

  @TempDir Path directory;

  private Outcome<Map<String, Located<HardeningMechanism>>> loadUserDirectory() {
    return MechanismCatalog.load(Optional.of(directory));
  }

  private static HardeningMechanism builtin(String name) {
    return MechanismCatalog.load(Optional.empty()).get().get(name).value();
  }

  @Test
  void builtinsLoadInIndexOrderWithoutDiagnostics() {
    Outcome<Map<String, Located<HardeningMechanism>>> catalog = MechanismCatalog.load(Optional.empty());
    assertEquals(List.of(), catalog.diagnostics());
    assertEquals(List.of("asan", "cfi", "sp", "ubsan"), List.copyOf(catalog.get().keySet()));
    assertEquals("flexc:mechanisms/cfi.mech", catalog.get().get("cfi").source().file());
  }

  @Test
  void asanRestrictsAnyMemoryAccess() {
    assertEquals(new HardeningMechanism("asan", "AddressSanitizer: checked loads and stores",
            Set.of(Behaviour.READ_ANY, Behaviour.WRITE_ANY), Set.of(), 70, 3,
            List.of("-fsanitize=address", "-fno-omit-frame-pointer"), List.of("-fsanitize=address")),
        builtin("asan"));
  }

  @Test
  void cfiRestrictsControlFlowAndNeedsTheStackProtector() {
    assertEquals(new HardeningMechanism("cfi", "Control-flow integrity for indirect branches",
            Set.of(Behaviour.EXECUTE_ANY), Set.of("sp"), 10, 2, List.of("-fcf-protection=full"), List.of()),
        builtin("cfi"));
  }

  @Test
  void spAndUbsanChangeNoBehaviour() {
    assertEquals(new HardeningMechanism("sp", "Stack protector (canaries on return addresses)", Set.of(), Set.of(),
        3, 1, List.of("-fstack-protector-strong"), List.of()), builtin("sp"));
    assertEquals(new HardeningMechanism("ubsan", "UndefinedBehaviorSanitizer, trapping on undefined behaviour",
            Set.of(), Set.of(), 20, 1, List.of("-fsanitize=undefined", "-fsanitize-undefined-trap-on-error"), List.of()),
        builtin("ubsan"));
  }

  @Test
  void aUserDirectoryAddsMechanisms() {
    write(directory, "shadow.mech", "[Mechanism] ::= shadow-stack\n[Effect] ::= XA -> X\n[Cost] ::= 5\n");
    write(directory, "notes.txt", "not a mechanism");
    Outcome<Map<String, Located<HardeningMechanism>>> catalog = loadUserDirectory();
    assertEquals(List.of(), catalog.diagnostics());
    assertEquals(List.of("asan", "cfi", "sp", "ubsan", "shadow-stack"), List.copyOf(catalog.get().keySet()));
    assertEquals(Set.of(Behaviour.EXECUTE_ANY), catalog.get().get("shadow-stack").value().restricts());
  }

  @Test
  void redefiningABuiltinWarnsAndReplacesIt() {
    Path file = write(directory, "my-asan.mech", "# cheaper\n[Mechanism] ::= asan\n[Cost] ::= 5\n");
    Outcome<Map<String, Located<HardeningMechanism>>> catalog = loadUserDirectory();
    assertEquals(List.of(file + ":2:1: warning: mechanism 'asan' replaces the one defined by flexc:mechanisms/asan.mech"),
        formatted(catalog));
    assertEquals(5, catalog.get().get("asan").value().cost());
  }

  @Test
  void aMalformedUserFileIsAPositionedError() {
    Path file = write(directory, "broken.mech", "[Mechanism] ::= broken\n[Cost] ::= 5\n[Effect] ::= WA -> R\n");
    Outcome<Map<String, Located<HardeningMechanism>>> catalog = loadUserDirectory();
    assertEquals(List.of(file + ":3:14: error: an effect restricts a behaviour to its harmless form: RA -> R,"
        + " WA -> W or XA -> X; found 'WA -> R'"), formatted(catalog));
    assertFalse(catalog.succeeded());
  }

  @Test
  void neededMechanismsMustExist() {
    Path file = write(directory, "pac.mech", "[Mechanism] ::= pac\n[Cost] ::= 2\n[Needs] ::= bti\n");
    assertEquals(List.of(file + ":3:1: error: unknown hardening mechanism 'bti'; known: asan, cfi, sp, ubsan, pac"),
        formatted(loadUserDirectory()));
  }

  @Test
  void aUserDirectoryThatIsNoDirectoryIsAnIoError() {
    Path file = write(directory, "plain.mech", "[Mechanism] ::= m\n[Cost] ::= 1\n");
    Outcome<Map<String, Located<HardeningMechanism>>> catalog = MechanismCatalog.load(Optional.of(file));
    assertEquals(List.of(file + ":1:1: error: cannot read " + file + ": not a readable directory of *.mech files"),
        formatted(catalog));
    assertTrue(catalog.value().isEmpty());
  }
}
