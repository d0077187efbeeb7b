package io.flexc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Diagnostics render from the catalogue; an outcome never carries a value beside an error. */
class OutcomeTest {

  private static final Diagnostic ERROR = Diagnostic.of(
      DiagnosticKind.UNKNOWN_PERMISSION, new SourcePosition("sched.meta", 3, 12), "Q", "Requires", "R, W or X");
  private static final Diagnostic WARNING = Diagnostic.of(
      DiagnosticKind.REDEFINED_MECHANISM, new SourcePosition("my.mech", 1, 1), "asan", "flexc:asan.mech");

  @Test
  void diagnosticsFormatLikeACompiler() {
    assertEquals("sched.meta:3:12: error: unknown permission 'Q' in [Requires]; expected R, W or X", ERROR.format());
    assertEquals("my.mech:1:1: warning: mechanism 'asan' replaces the one defined by flexc:asan.mech",
        WARNING.toString());
    assertTrue(ERROR.isError());
    assertFalse(WARNING.isError());
    assertEquals("unexported-call-target", DiagnosticKind.UNEXPORTED_CALL_TARGET.code());
    assertEquals(Severity.WARNING, DiagnosticKind.UNUSED_COMPARTMENT.severity());
  }

  @Test
  void everyKindHasItsOwnCode() {
    Set<String> codes = new HashSet<>();
    for (DiagnosticKind kind : DiagnosticKind.values()) {
      assertTrue(kind.code().matches("[a-z]+(-[a-z]+)*"), kind.code());
      assertTrue(codes.add(kind.code()), "repeated code " + kind.code());
    }
  }

  @Test
  void anErrorTakesTheValueAway() {
    Outcome<String> failed = Outcome.of("value", List.of(WARNING, ERROR));
    assertFalse(failed.succeeded());
    assertEquals(List.of(WARNING, ERROR), failed.diagnostics());
    IllegalStateException thrown = assertThrows(IllegalStateException.class, failed::get);
    assertTrue(thrown.getMessage().contains("unknown permission 'Q'"), thrown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Outcome<>(Optional.of("value"), List.of(ERROR)));
  }

  @Test
  void warningsMayAccompanyAValue() {
    Outcome<String> outcome = Outcome.of("value", List.of(WARNING));
    assertTrue(outcome.succeeded());
    assertEquals("value", outcome.get());
    assertFalse(Outcome.failure(List.of()).succeeded());
  }

  @Test
  void sortingByPositionKeepsTheValue() {
    assertEquals(List.of(WARNING, ERROR), Outcome.failure(List.of(ERROR, WARNING)).sortedByPosition().diagnostics());
    Diagnostic early = Diagnostic.of(DiagnosticKind.SYNTAX_ERROR, new SourcePosition("my.mech", 1, 5), "x");
    Diagnostic late = Diagnostic.of(DiagnosticKind.SYNTAX_ERROR, new SourcePosition("my.mech", 2, 1), "y");
    assertEquals(List.of(early, late), Outcome.failure(List.of(late, early)).sortedByPosition().diagnostics());
    assertEquals(Optional.of("v"), Outcome.of("v", List.of()).sortedByPosition().value());
  }
}
