package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Diagnostic;
import io.flexc.model.Located;
import io.flexc.model.Outcome;
import io.flexc.model.SourcePosition;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Mutated and garbage metadata never makes the parser throw or hang: it always answers with a
 * value or with at least one diagnostic, every diagnostic lies inside the input, and whatever it
 * accepts survives printing and parsing again. The timeouts only guard against hangs.
 */
class ParserFuzzTest {

  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static final int ITERATIONS = 3000;

  private static final String SEED_LIBRARY = """
      # A scheduler verified in Dafny.
      [Library] ::= sched
      [Memory Access] ::= R, W, (shared, RW)
      [Call] ::= alloc::uk_malloc, alloc::*
      [API] ::= (thread_add, SYMB, "int thread_add(void *arg)") \\
                (thread_remove, SYMB)   // no prototype
      [Requires] ::= R
      [Role] ::= scheduler
      [Verified] ::= Dafny
      [Language] ::= "Dafny 4"
      """;

  private static final String PROPERTIES_DEF = """
      Library::=lwip
      Memory Access::=RA,WA
      Call::=X*,uknetdev::*
      API::=(lwip_socket,SYMB) (lwip_recv,SYMB)
      Requires::=R,W,X
      """;

  private static final String MECHANISM = """
      [Mechanism] ::= cfi
      [Description] ::= "Control-flow integrity"
      [Effect] ::= XA -> X, WA -> W
      [Needs] ::= sp
      [Cost] ::= 10
      [Safety] ::= 2
      [Flags] ::= -fcf-protection=full, "-Wl,-z,now"
      [Link Flags] ::= -flto
      """;

  private static final List<String> TOKENS = List.of(
      "[", "]", "::=", "::", "\\", "\\\n", "(", ")", ",", "*", "\"", "->", "#", "//", "\n", "\r\n", "\r", " ", "\t",
      "RA", "XA", "X*", "SYMB", "Memory Access", "[API]", "-f", "42", "1.5", "é", "\u0000", "\uFEFF", "\uD800",
      "\uFFFF", "🙂", "\u2028", "x".repeat(5000), "R, ".repeat(3000), "a::b, ".repeat(50));

  @Test
  void mutatedLibrariesOnlyEverGiveValuesOrDiagnostics() {
    fuzz(21, List.of(SEED_LIBRARY, PROPERTIES_DEF), ParserFuzzTest::parseLibrary, MetadataPrinter::print);
  }

  @Test
  void mutatedMechanismsOnlyEverGiveValuesOrDiagnostics() {
    fuzz(22, List.of(MECHANISM), ParserFuzzTest::parseMechanism, MetadataPrinter::print);
  }

  @Test
  void garbageOnlyEverGivesDiagnostics() {
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      Random random = new Random(7);
      for (int iteration = 0; iteration < ITERATIONS; iteration++) {
        StringBuilder garbage = new StringBuilder();
        for (int length = random.nextInt(200); length > 0; length--) {
          garbage.append(random.nextInt(4) == 0 ? token(random) : (char) random.nextInt(0x3000));
        }
        String text = garbage.toString();
        check(text, "garbage.meta", parseLibrary("garbage.meta", text), MetadataPrinter::print, ParserFuzzTest::parseLibrary);
        check(text, "garbage.mech", parseMechanism("garbage.mech", text), MetadataPrinter::print, ParserFuzzTest::parseMechanism);
      }
    });
  }

  @Test
  void deepTuplesAreOneDiagnosticNotAStackOverflow() {
    for (int depth : List.of(700, 100_000)) {
      String text = "[API] ::= " + "(".repeat(depth) + "\n";
      assertEquals(List.of("deep.meta:1:75: error: tuples nested more than 64 deep"),
          TestSupport.formatted(parseLibrary("deep.meta", text)));
    }
    String deepest = "[API] ::= " + "(".repeat(64) + "f, SYMB" + ")".repeat(64) + "\n";
    assertFalse(TestSupport.formatted(parseLibrary("deep.meta", deepest)).toString().contains("nested"),
        "64 levels are allowed");
  }

  @Test
  void manyErrorsAreCappedAtFiftyPerFile() {
    String text = "[Requires] ::= " + "Q ".repeat(10_000) + "\n" + "@".repeat(10_000);
    List<String> library = TestSupport.formatted(parseLibrary("many.meta", text));
    assertEquals(51, library.size());
    assertEquals("many.meta:2:1: error: unexpected character '@'", library.get(0));
    assertEquals("many.meta:2:51: note: \u2026 9950 more diagnostics", library.get(50));
    List<String> semantic = TestSupport.formatted(parseLibrary("many.meta", "[Requires] ::= " + "Q ".repeat(1000)));
    assertEquals(51, semantic.size());
    assertEquals("many.meta:1:116: note: \u2026 950 more diagnostics", semantic.get(50));
  }

  @Test
  void callTargetsParseInLinearTime() {
    LinearTime.assertLinear("[Call] with n targets", 40_000, n -> {
      String text = "[Call] ::= " + "a::b, ".repeat(n) + "a::b\n";
      return () -> assertTrue(parseLibrary("call.meta", text).succeeded());
    });
  }

  @Test
  void garbageParsesInLinearTime() {
    LinearTime.assertLinear("garbage of n lines", 2_000, n -> {
      String text = "[API] ::= (a, ((b -> ::, [x] \"\n@ Q::=:: ,,\n".repeat(n);
      return () -> assertFalse(parseLibrary("garbage.meta", text).succeeded());
    });
  }

  @Test
  void emptyAndBlankInput() {
    for (String text : List.of("", "\n", "   ", "\\", "# comment only")) {
      assertTrue(parseLibrary("empty.meta", text).succeeded(), "a library may leave every section out");
      assertEquals(List.of("empty.mech:1:1: error: missing section [Mechanism]: every mechanism needs a name",
              "empty.mech:1:1: error: missing section [Cost]: say its estimated overhead in percent"),
          TestSupport.formatted(parseMechanism("empty.mech", text)));
    }
  }

  private static Outcome<Located<io.flexc.model.LibraryMetadata>> parseLibrary(String file, String text) {
    return MetadataReader.parseLibrary(file, text, "fuzz");
  }

  private static Outcome<Located<io.flexc.model.HardeningMechanism>> parseMechanism(String file, String text) {
    return MetadataReader.parseMechanism(file, text);
  }

  private static <T> void fuzz(
      long seed,
      List<String> originals,
      BiFunction<String, String, Outcome<Located<T>>> parse,
      Function<T, String> print) {
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      Random random = new Random(seed);
      for (int iteration = 0; iteration < ITERATIONS; iteration++) {
        String text = mutate(random, originals.get(random.nextInt(originals.size())));
        check(text, "fuzz.meta", parse.apply("fuzz.meta", text), print, parse);
      }
    });
  }

  private static String token(Random random) {
    return TOKENS.get(random.nextInt(TOKENS.size()));
  }

  /** One to four edits: delete, insert a token, duplicate a slice, swap two characters, a random byte. */
  private static String mutate(Random random, String text) {
    StringBuilder mutated = new StringBuilder(text);
    for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
      int at = random.nextInt(mutated.length() + 1);
      switch (random.nextInt(6)) {
        case 0 -> mutated.delete(at, Math.min(mutated.length(), at + 1 + random.nextInt(3)));
        case 1 -> mutated.insert(at, token(random));
        case 2 -> mutated.insert(at, mutated.substring(at, Math.min(mutated.length(), at + random.nextInt(40))));
        case 3 -> {
          if (mutated.length() > 0) {
            int other = random.nextInt(mutated.length());
            int here = Math.min(at, mutated.length() - 1);
            char swapped = mutated.charAt(here);
            mutated.setCharAt(here, mutated.charAt(other));
            mutated.setCharAt(other, swapped);
          }
        }
        case 4 -> mutated.insert(at, (char) random.nextInt(256));
        default -> mutated.setLength(at);
      }
    }
    return mutated.toString();
  }

  /**
   * A failure has diagnostics; every diagnostic is in {@code file}, on a line of the input and at
   * most one column past its end (ANTLR counts lines by '\n' and columns in code points); a value
   * survives printing and parsing again.
   */
  private static <T> void check(
      String input,
      String file,
      Outcome<Located<T>> outcome,
      Function<T, String> print,
      BiFunction<String, String, Outcome<Located<T>>> parse) {
    String context = "input:\n" + input;
    if (!outcome.succeeded()) {
      assertFalse(outcome.diagnostics().isEmpty(), "a failure says why; " + context);
    }
    String[] lines = input.split("\n", -1);
    for (Diagnostic diagnostic : outcome.diagnostics()) {
      SourcePosition position = diagnostic.position();
      String where = diagnostic.format() + " is outside the input; " + context;
      assertEquals(file, position.file(), where);
      assertTrue(position.line() <= lines.length, where);
      String line = lines[position.line() - 1];
      assertTrue(position.column() <= line.codePointCount(0, line.length()) + 1, where);
      assertFalse(diagnostic.message().isBlank(), "an empty message; " + context);
    }
    outcome.value().ifPresent(located -> {
      String printed = print.apply(located.value());
      Outcome<Located<T>> again = parse.apply(file, printed);
      assertTrue(again.succeeded(), "printed:\n" + printed + "\n" + again.diagnostics() + "\n" + context);
      assertEquals(located.value(), again.get().value(), "printed:\n" + printed + "\n" + context);
    });
  }
}
