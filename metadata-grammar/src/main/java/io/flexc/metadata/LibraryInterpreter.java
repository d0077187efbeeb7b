package io.flexc.metadata;

import io.flexc.metadata.parse.RawItem;
import io.flexc.metadata.parse.RawSection;
import io.flexc.model.ApiFunction;
import io.flexc.model.Behaviour;
import io.flexc.model.BoundedDiagnostics;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.LibrarySection;
import io.flexc.model.Located;
import io.flexc.model.MemoryAccess;
import io.flexc.model.MemoryAccess.Operation;
import io.flexc.model.MemoryAccess.Region;
import io.flexc.model.Names;
import io.flexc.model.Outcome;
import io.flexc.model.Permission;
import io.flexc.model.SourceMap;
import io.flexc.model.SourcePosition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Gives the sections of a library metadata file their meaning and checks them: permissions, call
 * targets, API entries. A section the file leaves out takes the value FlexOS gives unverified C
 * ({@link LibraryMetadata#unverifiedC}), the safe assumption about code nobody has described.
 */
final class LibraryInterpreter {

  private static final String MEMORY_EXPECTED = "R, W, RA, WA or (own|shared|any, R|W|RW)";
  private static final String API_SHAPE =
      "an API entry is (SYMBOL, SYMB) or (SYMBOL, SYMB, \"C prototype\"), optionally ending in (on-crash,"
          + " INTEGER)";

  private final String file;
  private final String defaultName;
  private final BoundedDiagnostics diagnostics = new BoundedDiagnostics();
  private final Map<String, SourcePosition> sectionPositions = new HashMap<>();
  private final Map<String, SourcePosition> itemPositions = new HashMap<>();

  LibraryInterpreter(String file, String defaultName) {
    this.file = file;
    this.defaultName = defaultName;
  }

  Outcome<Located<LibraryMetadata>> interpret(List<RawSection> raw) {
    SectionTable table = new SectionTable(raw, LibrarySection.titles(), diagnostics);
    LibraryMetadata defaults = LibraryMetadata.unverifiedC("defaults");
    for (LibrarySection section : LibrarySection.values()) {
      table.get(section.title()).ifPresent(s -> sectionPositions.put(section.title(), s.position()));
    }

    String name = table.get(LibrarySection.LIBRARY.title()).map(this::name).orElse(defaultName);
    Set<MemoryAccess> memory =
        table.get(LibrarySection.MEMORY_ACCESS.title())
            .map(this::memoryAccess)
            .orElse(defaults.memoryAccess());
    CallPolicy call = table.get(LibrarySection.CALL.title()).map(this::call).orElse(defaults.call());
    List<ApiFunction> api = table.get(LibrarySection.API.title()).map(this::api).orElse(List.of());
    Set<Permission> requires =
        table.get(LibrarySection.REQUIRES.title())
            .map(this::requires)
            .orElse(defaults.requires());
    Optional<String> role =
        table.get(LibrarySection.ROLE.title()).flatMap(this::role);
    Optional<String> verified =
        table.get(LibrarySection.VERIFIED.title())
            .flatMap(s -> single(s, false, "the tool or method that verified it, e.g. Dafny"));
    Optional<String> language =
        table.get(LibrarySection.LANGUAGE.title())
            .flatMap(s -> single(s, false, "a language, e.g. Rust"));

    if (!Names.isIdentifier(name)) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.MISSING_SECTION,
              SourcePosition.startOf(file),
              LibrarySection.LIBRARY.title(),
              "'" + name + "', taken from the file name, is not a valid library name"));
    }
    if (diagnostics.hasErrors()) {
      return Outcome.failure(diagnostics.toList());
    }
    LibraryMetadata metadata =
        new LibraryMetadata(name, memory, call, api, requires, role, verified, language);
    return Outcome.of(
        new Located<>(metadata, new SourceMap(file, sectionPositions, itemPositions)), diagnostics.toList());
  }

  /** The role, one flexc acts on: another would be silently ignored, e.g. drop MPK's trust rule. */
  private Optional<String> role(RawSection section) {
    Optional<String> role = single(section, true, "a role such as scheduler");
    if (role.isPresent() && !LibraryMetadata.ROLES.contains(role.get())) {
      diagnostics.add(Diagnostic.of(DiagnosticKind.UNKNOWN_ROLE, section.items().get(0).position(), role.get(),
          String.join(", ", LibraryMetadata.ROLES)));
      return Optional.empty();
    }
    return role;
  }

  private String name(RawSection section) {
    return single(section, true, "the library's name").orElse(defaultName);
  }

  private Set<MemoryAccess> memoryAccess(RawSection section) {
    EnumSet<MemoryAccess> accesses = EnumSet.noneOf(MemoryAccess.class);
    for (RawItem item : section.items()) {
      Set<MemoryAccess> meaning = memoryItem(item);
      if (meaning.isEmpty()) {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.UNKNOWN_PERMISSION,
                item.position(),
                item.text(),
                section.name(),
                MEMORY_EXPECTED));
        continue;
      }
      accesses.addAll(meaning);
      if (meaning.contains(MemoryAccess.READ_ANY)) {
        remember(section, Behaviour.READ_ANY.notation(), item);
      }
      if (meaning.contains(MemoryAccess.WRITE_ANY)) {
        remember(section, Behaviour.WRITE_ANY.notation(), item);
      }
    }
    return accesses;
  }

  /** The accesses one item grants, or an empty set if it is not a memory permission. */
  private static Set<MemoryAccess> memoryItem(RawItem item) {
    return switch (item) {
      case RawItem.Word word ->
          switch (word.text()) {
            case "R" -> Set.of(MemoryAccess.READ_OWN, MemoryAccess.READ_SHARED);
            case "W" -> Set.of(MemoryAccess.WRITE_OWN, MemoryAccess.WRITE_SHARED);
            case "RA" -> Set.of(MemoryAccess.READ_ANY);
            case "WA" -> Set.of(MemoryAccess.WRITE_ANY);
            default -> Set.of();
          };
      case RawItem.Tuple tuple when tuple.elements().size() == 2 -> explicitAccess(tuple);
      default -> Set.of();
    };
  }

  private static Set<MemoryAccess> explicitAccess(RawItem.Tuple tuple) {
    if (!(tuple.elements().get(0) instanceof RawItem.Word regionWord)
        || !(tuple.elements().get(1) instanceof RawItem.Word modeWord)) {
      return Set.of();
    }
    Region region;
    try {
      region = Region.valueOf(regionWord.text().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException notARegion) {
      return Set.of();
    }
    List<Operation> operations =
        switch (modeWord.text()) {
          case "R" -> List.of(Operation.READ);
          case "W" -> List.of(Operation.WRITE);
          case "RW" -> List.of(Operation.READ, Operation.WRITE);
          default -> List.of();
        };
    EnumSet<MemoryAccess> accesses = EnumSet.noneOf(MemoryAccess.class);
    operations.forEach(operation -> accesses.add(MemoryAccess.of(region, operation)));
    return accesses;
  }

  private CallPolicy call(RawSection section) {
    boolean anywhere = false;
    List<CallTarget> targets = new ArrayList<>();
    for (RawItem item : section.items()) {
      switch (item) {
        case RawItem.Word word when word.text().equals("X") -> {}
        case RawItem.Word word when word.text().equals("XA") -> {
          anywhere = true;
          remember(section, Behaviour.EXECUTE_ANY.notation(), item);
        }
        case RawItem.Starred starred when starred.word().equals("X") -> {
          anywhere = true;
          remember(section, Behaviour.EXECUTE_ANY.notation(), item);
        }
        case RawItem.Scoped scoped
            when Names.isIdentifier(scoped.library()) && !scoped.symbol().isEmpty() -> {
          CallTarget target = new CallTarget(scoped.library(), scoped.symbol());
          targets.add(target);
          remember(section, target.toString(), item);
        }
        default ->
            diagnostics.add(
                Diagnostic.of(DiagnosticKind.MALFORMED_CALL_TARGET, item.position(), item.text()));
      }
    }
    return new CallPolicy(anywhere, targets);
  }

  private List<ApiFunction> api(RawSection section) {
    Map<String, RawItem> seen = new LinkedHashMap<>();
    List<ApiFunction> functions = new ArrayList<>();
    for (RawItem item : section.items()) {
      Optional<ApiFunction> function = apiEntry(item);
      if (function.isEmpty()) {
        diagnostics.add(Diagnostic.of(DiagnosticKind.MALFORMED_VALUE, item.position(), API_SHAPE));
        continue;
      }
      String symbol = function.get().symbol();
      RawItem first = seen.putIfAbsent(symbol, item);
      if (first != null) {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.DUPLICATE_API_SYMBOL,
                item.position(),
                symbol,
                first.position().lineAndColumn()));
        continue;
      }
      remember(section, symbol, item);
      functions.add(function.get());
    }
    return functions;
  }

  private static Optional<ApiFunction> apiEntry(RawItem item) {
    if (!(item instanceof RawItem.Tuple tuple)
        || tuple.elements().size() < 2
        || !(tuple.elements().get(0) instanceof RawItem.Word symbol)
        || !(tuple.elements().get(1) instanceof RawItem.Word kind)
        || !kind.text().equals("SYMB")
        || !Names.isIdentifier(symbol.text())) {
      return Optional.empty();
    }
    List<RawItem> rest = tuple.elements().subList(2, tuple.elements().size());
    OptionalLong onCrash = OptionalLong.empty();
    if (!rest.isEmpty() && rest.get(rest.size() - 1) instanceof RawItem.Tuple last) {
      onCrash = resultOnCrash(last);
      if (onCrash.isEmpty()) {
        return Optional.empty();
      }
      rest = rest.subList(0, rest.size() - 1);
    }
    if (rest.isEmpty()) {
      return Optional.of(new ApiFunction(symbol.text(), Optional.empty(), onCrash));
    }
    if (rest.size() == 1 && rest.get(0) instanceof RawItem.Quoted prototype
        && Names.isQuotable(prototype.value())) {
      return Optional.of(new ApiFunction(symbol.text(), Optional.of(prototype.value().strip()), onCrash));
    }
    return Optional.empty();
  }

  /** {@code (on-crash, N)}, N an integer (negative ones lex as flags: {@code -1}). */
  private static OptionalLong resultOnCrash(RawItem.Tuple tuple) {
    if (tuple.elements().size() != 2
        || !(tuple.elements().get(0) instanceof RawItem.Word word)
        || !word.text().equals("on-crash")) {
      return OptionalLong.empty();
    }
    String value = tuple.elements().get(1).text();
    try {
      return value.matches("-?[0-9]+") ? OptionalLong.of(Long.parseLong(value)) : OptionalLong.empty();
    } catch (NumberFormatException outOfRange) {
      return OptionalLong.empty();
    }
  }

  private Set<Permission> requires(RawSection section) {
    EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
    for (RawItem item : section.items()) {
      Optional<Permission> permission =
          item instanceof RawItem.Word word ? permission(word.text()) : Optional.empty();
      if (permission.isEmpty()) {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.UNKNOWN_PERMISSION,
                item.position(),
                item.text(),
                section.name(),
                "R, W or X"));
        continue;
      }
      permissions.add(permission.get());
      remember(section, permission.get().name(), item);
    }
    return permissions;
  }

  private static Optional<Permission> permission(String text) {
    for (Permission permission : Permission.values()) {
      if (permission.name().equals(text)) {
        return Optional.of(permission);
      }
    }
    return Optional.empty();
  }

  /**
   * The one value of a section: a name when {@code identifier}, otherwise a name or a quoted
   * string. Reports anything else and returns empty.
   */
  private Optional<String> single(RawSection section, boolean identifier, String expected) {
    List<RawItem> items = section.items();
    if (items.size() == 1) {
      RawItem item = items.get(0);
      if (item instanceof RawItem.Word word && Names.isIdentifier(word.text())) {
        return Optional.of(word.text());
      }
      if (!identifier
          && item instanceof RawItem.Quoted quoted
          && Names.isQuotable(quoted.value())) {
        return Optional.of(quoted.value().strip());
      }
    }
    SourcePosition where = items.isEmpty() ? section.position() : items.get(items.size() > 1 ? 1 : 0).position();
    String found = items.isEmpty() ? "nothing" : items.size() > 1 ? items.size() + " values" : "'" + items.get(0).text() + "'";
    diagnostics.add(
        Diagnostic.of(
            DiagnosticKind.MALFORMED_VALUE,
            where,
            "[" + section.name() + "] takes one value, " + expected + "; found " + found));
    return Optional.empty();
  }

  private void remember(RawSection section, String key, RawItem item) {
    itemPositions.putIfAbsent(SourceMap.itemKey(section.name(), key), item.position());
  }
}
