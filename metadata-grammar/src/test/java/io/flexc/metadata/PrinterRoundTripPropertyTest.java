package io.flexc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.ApiFunction;
import io.flexc.model.Behaviour;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.MemoryAccess;
import io.flexc.model.Outcome;
import io.flexc.model.Permission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code parse(print(m))} equals {@code m} for generated library metadata and mechanisms. */
class PrinterRoundTripPropertyTest {

  private static final int SEEDS = 500;

  @Test
  void libraryMetadataSurvivesPrintingAndParsing() {
    for (long seed = 0; seed < SEEDS; seed++) {
      LibraryMetadata metadata = library(new Random(seed));
      String printed = MetadataPrinter.print(metadata);
      Outcome<?> parsed = MetadataReader.parseLibrary("generated.meta", printed, "fallback");
      assertTrue(parsed.succeeded(), "seed " + seed + ":\n" + printed + "\n" + parsed.diagnostics());
      LibraryMetadata back = MetadataReader.parseLibrary("generated.meta", printed, "fallback").get().value();
      assertEquals(metadata, back, "seed " + seed + ":\n" + printed);
      assertEquals(printed, MetadataPrinter.print(back), "seed " + seed + ": printing is canonical");
    }
  }

  @Test
  void mechanismsSurvivePrintingAndParsing() {
    for (long seed = 0; seed < SEEDS; seed++) {
      HardeningMechanism mechanism = mechanism(new Random(seed));
      String printed = MetadataPrinter.print(mechanism);
      Outcome<?> parsed = MetadataReader.parseMechanism("generated.mech", printed);
      assertTrue(parsed.succeeded(), "seed " + seed + ":\n" + printed + "\n" + parsed.diagnostics());
      HardeningMechanism back = MetadataReader.parseMechanism("generated.mech", printed).get().value();
      assertEquals(mechanism, back, "seed " + seed + ":\n" + printed);
      assertEquals(printed, MetadataPrinter.print(back), "seed " + seed + ": printing is canonical");
    }
  }

  private static LibraryMetadata library(Random random) {
    Set<MemoryAccess> memory = EnumSet.noneOf(MemoryAccess.class);
    for (MemoryAccess access : MemoryAccess.values()) {
      if (random.nextInt(3) == 0) {
        memory.add(access);
      }
    }
    List<CallTarget> targets = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      targets.add(new CallTarget(identifier(random), random.nextInt(4) == 0 ? CallTarget.ANY_SYMBOL : identifier(random)));
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      symbols.add(identifier(random));
    }
    List<ApiFunction> api = symbols.stream()
        .map(symbol -> new ApiFunction(symbol, random.nextBoolean()
            ? Optional.of("int " + symbol + "(void *arg, unsigned long size)")
            : Optional.empty()))
        .toList();
    Set<Permission> requires = EnumSet.noneOf(Permission.class);
    for (Permission permission : Permission.values()) {
      if (random.nextBoolean()) {
        requires.add(permission);
      }
    }
    return new LibraryMetadata(
        identifier(random),
        memory,
        new CallPolicy(random.nextBoolean(), List.copyOf(new LinkedHashSet<>(targets))),
        api,
        requires,
        random.nextBoolean() ? Optional.of(pick(random, "scheduler", "allocator", "libc", "netstack", "app")) : Optional.empty(),
        random.nextBoolean() ? Optional.of(pick(random, "Dafny", "F* and Low*", "Coq proof")) : Optional.empty(),
        random.nextBoolean() ? Optional.of(pick(random, "Rust", "C", "OCaml 5")) : Optional.empty());
  }

  private static HardeningMechanism mechanism(Random random) {
    Set<Behaviour> restricts = EnumSet.noneOf(Behaviour.class);
    for (Behaviour behaviour : Behaviour.values()) {
      if (random.nextBoolean()) {
        restricts.add(behaviour);
      }
    }
    String name = "m" + identifier(random);
    Set<String> needs = new LinkedHashSet<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      needs.add("n" + identifier(random));
    }
    List<String> flags = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      flags.add(pick(random, "-fsanitize=address", "-fstack-protector-strong", "-O2", "-fcf-protection=full"));
    }
    return new HardeningMechanism(
        name,
        random.nextBoolean() ? "Generated mechanism " + random.nextInt(100) : "",
        restricts,
        needs,
        random.nextInt(200),
        random.nextInt(10),
        flags,
        random.nextBoolean() ? List.of("-fsanitize=address") : List.of());
  }

  private static String identifier(Random random) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    StringBuilder name = new StringBuilder();
    name.append(letters.charAt(random.nextInt(letters.length())));
    for (int i = random.nextInt(8); i > 0; i--) {
      name.append((letters + "0123456789_").charAt(random.nextInt(letters.length() + 11)));
    }
    return name.toString();
  }

  private static String pick(Random random, String... values) {
    return values[random.nextInt(values.length)];
  }
}
