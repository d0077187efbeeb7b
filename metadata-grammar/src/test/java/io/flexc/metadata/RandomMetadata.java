package io.flexc.metadata;

import io.flexc.model.ApiFunction;
import io.flexc.model.Behaviour;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.MemoryAccess;
import io.flexc.model.Permission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Valid library metadata and mechanisms drawn from a seeded {@link Random}: names with dashes and
 * upper case, names that are also keywords of the language, and free text full of the language's
 * punctuation, so that the printer has to quote and the parser has to keep apart what they must.
 */
final class RandomMetadata {

  /** Words the language gives a meaning to somewhere; as names they must still round-trip. */
  private static final List<String> KEYWORDS =
      List.of("X", "XA", "R", "W", "RA", "WA", "SYMB", "own", "any", "shared", "Library", "Call", "API");
  private static final String FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
  private static final String REST = FIRST + "0123456789";
  /** Characters of quotable text: the language's punctuation, blanks and a few non-ASCII ones. */
  private static final String TEXT = REST + " \t*()[],;:=#/\\-><'{}&|!?.+é中🙂";
  private static final String FLAG_TEXT = REST + "=:/.+-";

  private final Random random;

  RandomMetadata(long seed) {
    this.random = new Random(seed);
  }

  LibraryMetadata library() {
    Set<MemoryAccess> memory = subset(MemoryAccess.class, 3);
    List<CallTarget> targets = listOf(4, () -> new CallTarget(identifier(), chance(4) ? CallTarget.ANY_SYMBOL : identifier()));
    Set<String> symbols = new LinkedHashSet<>(listOf(5, this::identifier));
    List<ApiFunction> api = symbols.stream()
        .map(symbol -> new ApiFunction(symbol, maybe(this::text),
            chance(3) ? OptionalLong.of(random.nextLong()) : OptionalLong.empty()))
        .toList();
    return new LibraryMetadata(
        identifier(),
        memory,
        new CallPolicy(random.nextBoolean(), targets),
        api,
        subset(Permission.class, 2),
        maybe(() -> LibraryMetadata.ROLES.get(random.nextInt(LibraryMetadata.ROLES.size()))),
        maybe(() -> random.nextBoolean() ? identifier() : text()),
        maybe(() -> random.nextBoolean() ? identifier() : text()));
  }

  HardeningMechanism mechanism() {
    String name = identifier();
    Set<String> needs = new LinkedHashSet<>(listOf(3, this::identifier));
    needs.remove(name);
    return new HardeningMechanism(
        name,
        random.nextBoolean() ? text() : "",
        subset(Behaviour.class, 2),
        needs,
        random.nextInt(4) == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(200),
        random.nextInt(10),
        listOf(4, this::flag),
        listOf(2, this::flag));
  }

  /** A name: usually random, sometimes a keyword, sometimes with inner dashes. */
  String identifier() {
    if (chance(8)) {
      return KEYWORDS.get(random.nextInt(KEYWORDS.size()));
    }
    StringBuilder name = new StringBuilder().append(pick(FIRST));
    for (int i = random.nextInt(8); i > 0; i--) {
      name.append(pick(REST));
    }
    if (chance(5)) {
      name.append('-').append(pick(REST)).append(pick(REST));
    }
    return name.toString();
  }

  /** One line of text without quotes or blanks at either end. */
  String text() {
    StringBuilder text = new StringBuilder();
    for (int i = 1 + random.nextInt(30); i > 0; i--) {
      text.appendCodePoint(TEXT.codePointAt(TEXT.offsetByCodePoints(0, random.nextInt(TEXT.codePointCount(0, TEXT.length())))));
    }
    String stripped = text.toString().strip();
    return stripped.isEmpty() ? "x" : stripped;
  }

  /** A compiler flag: bare like {@code -fsanitize=address}, or text that has to be quoted. */
  private String flag() {
    if (random.nextBoolean()) {
      return text();
    }
    StringBuilder flag = new StringBuilder("-");
    for (int i = 1 + random.nextInt(20); i > 0; i--) {
      flag.append(pick(FLAG_TEXT));
    }
    return flag.toString();
  }

  private boolean chance(int oneIn) {
    return random.nextInt(oneIn) == 0;
  }

  private char pick(String characters) {
    return characters.charAt(random.nextInt(characters.length()));
  }

  private <T> Optional<T> maybe(Supplier<T> value) {
    return random.nextBoolean() ? Optional.of(value.get()) : Optional.empty();
  }

  private <T> List<T> listOf(int bound, Supplier<T> element) {
    List<T> list = new ArrayList<>();
    for (int i = random.nextInt(bound); i > 0; i--) {
      list.add(element.get());
    }
    return list;
  }

  /** Each constant of {@code type} with probability 1 in {@code oneIn}. */
  private <E extends Enum<E>> Set<E> subset(Class<E> type, int oneIn) {
    Set<E> subset = EnumSet.noneOf(type);
    for (E constant : type.getEnumConstants()) {
      if (chance(oneIn)) {
        subset.add(constant);
      }
    }
    return subset;
  }
}
