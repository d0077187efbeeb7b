package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Diagnostic;
import io.flexc.model.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and garbage metadata never makes the parser throw or hang: it always answers with a
 * value or with diagnostics whose positions lie inside the input.
 */
class ParserFuzzTest {

  private static final String LIBRARY = """
      # A scheduler verified in Dafny.
      [Library] ::= sched
      [Memory Access] ::= R, W, (shared, RW)
      [Call] ::= alloc::uk_malloc, alloc::*
      [API] ::= (thread_add, SYMB, "int thread_add(void *arg)") \\
                (thread_remove, SYMB)
      [Requires] ::= R
      [Role] ::= scheduler
      [Verified] ::= Dafny
      Memory Access::=RA,WA
      """;

  private static final String MECHANISM = """
      [Mechanism] ::= cfi
      [Description] ::= "Control-flow integrity"
      [Effect] ::= XA -> X, WA -> W
      [Needs] ::= sp
      [Cost] ::= 10
      [Safety] ::= 2
      [Flags] ::= -fcf-protection=full
      """;

  private static final List<String> TOKENS =
      List.of("[", "]", "::=", "\\\n", "(", ")", ",", "::", "*", "\"", "->", "#", "//", "\n", " ", "RA", "XA",
          "Memory Access", "[API]", "SYMB", "é", "\u0000", "\uFFFF", "🙂", "x".repeat(5000));

  @Test
  void mutatedInputOnlyEverGivesDiagnostics() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      Random random = new Random(20261124);
      for (int iteration = 0; iteration < 4000; iteration++) {
        String library = mutate(random, LIBRARY);
        check(library, MetadataReader.parseLibrary("fuzz.meta", library, "fuzz"));
        String mechanism = mutate(random, MECHANISM);
        check(mechanism, MetadataReader.parseMechanism("fuzz.mech", mechanism));
      }
    });
  }

  @Test
  void garbageOnlyEverGivesDiagnostics() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Random random = new Random(7);
      for (int iteration = 0; iteration < 2000; iteration++) {
        StringBuilder garbage = new StringBuilder();
        for (int length = random.nextInt(200); length > 0; length--) {
          garbage.append(random.nextInt(4) == 0 ? TOKENS.get(random.nextInt(TOKENS.size())) : (char) random.nextInt(0x3000));
        }
        String text = garbage.toString();
        check(text, MetadataReader.parseLibrary("garbage.meta", text, "garbage"));
        check(text, MetadataReader.parseMechanism("garbage.mech", text));
      }
      check("", MetadataReader.parseMechanism("empty.mech", ""));
    });
  }

  private static String mutate(Random random, String text) {
    StringBuilder mutated = new StringBuilder(text);
    for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
      int at = random.nextInt(mutated.length() + 1);
      switch (random.nextInt(4)) {
        case 0 -> {
          if (at < mutated.length()) {
            mutated.deleteCharAt(at);
          }
        }
        case 1 -> mutated.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
        case 2 -> mutated.insert(at, mutated.substring(at, Math.min(mutated.length(), at + random.nextInt(40))));
        default -> mutated.insert(at, (char) random.nextInt(128));
      }
    }
    return mutated.toString();
  }

  private static void check(String input, Outcome<?> outcome) {
    if (!outcome.succeeded()) {
      assertFalse(outcome.diagnostics().isEmpty(), "a failure says why:\n" + input);
    }
    long lines = input.lines().count() + 1;
    for (Diagnostic diagnostic : outcome.diagnostics()) {
      assertTrue(diagnostic.position().line() <= lines, diagnostic.format() + " is outside:\n" + input);
      assertFalse(diagnostic.message().isBlank(), "an empty message for:\n" + input);
    }
  }
}
