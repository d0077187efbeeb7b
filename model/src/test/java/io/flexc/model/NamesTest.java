package io.flexc.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names are C identifiers with inner dashes; quotable text is one line without quotes. */
class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"sched", "_x", "uk_malloc2", "pthread-embedded", "a-b-c", "X", "A1_b-2"})
  void identifiers(String name) {
    assertTrue(Names.isIdentifier(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "-a", "a-", "a--b", "a b", "a::b", "é", "a.b", "a*"})
  void notIdentifiers(String name) {
    assertFalse(Names.isIdentifier(name), name);
  }

  @Test
  void quotableText() {
    assertTrue(Names.isQuotable("int f(void *p, char c[]) // #1"));
    assertFalse(Names.isQuotable(null));
    assertFalse(Names.isIdentifier(null));
    assertFalse(Names.isQuotable(" padded"));
    assertFalse(Names.isQuotable("say \"hi\""));
    assertFalse(Names.isQuotable("two\nlines"));
    assertFalse(Names.isQuotable("   "));
  }

  @Test
  void recordsValidateTheirNames() {
    assertThrows(IllegalArgumentException.class, () -> new CallTarget("a b", "f"));
    assertThrows(IllegalArgumentException.class, () -> new ApiFunction("f", Optional.of("\"quoted\"")));
    assertTrue(new CallTarget("alloc", CallTarget.ANY_SYMBOL).isWildcard());
    assertFalse(new CallTarget("alloc", "uk_free").isWildcard());
  }
}
