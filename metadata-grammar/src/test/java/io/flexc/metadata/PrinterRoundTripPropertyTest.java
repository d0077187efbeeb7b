package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Located;
import io.flexc.model.Outcome;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code parse(print(m))} equals {@code m}, and printing what was parsed gives the same text, for
 * generated library metadata and mechanisms. A failure names the seed and shows the printed text.
 */
class PrinterRoundTripPropertyTest {

  private static final int SEEDS = 500;

  @Test
  void libraryMetadataSurvivesPrintingAndParsing() {
    roundTrip(
        seed -> new RandomMetadata(seed).library(),
        MetadataPrinter::print,
        text -> MetadataReader.parseLibrary("generated.meta", text, "fallback"));
  }

  @Test
  void mechanismsSurvivePrintingAndParsing() {
    roundTrip(
        seed -> new RandomMetadata(seed).mechanism(),
        MetadataPrinter::print,
        text -> MetadataReader.parseMechanism("generated.mech", text));
  }

  private static <T> void roundTrip(
      Function<Long, T> generate, Function<T, String> print, Function<String, Outcome<Located<T>>> parse) {
    for (long seed = 0; seed < SEEDS; seed++) {
      T value = generate.apply(seed);
      String printed = print.apply(value);
      String context = "seed " + seed + ", printed:\n" + printed;
      Outcome<Located<T>> parsed = parse.apply(printed);
      assertTrue(parsed.succeeded(), context + "\ndiagnostics: " + parsed.diagnostics());
      assertEquals(value, parsed.get().value(), context);
      assertEquals(printed, print.apply(parsed.get().value()), context + "\nprinting is not canonical");
    }
  }
}
