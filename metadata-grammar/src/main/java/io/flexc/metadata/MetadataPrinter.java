package io.flexc.metadata;

import io.flexc.model.ApiFunction;
import io.flexc.model.Behaviour;
import io.flexc.model.CallPolicy;
import io.flexc.model.CallTarget;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.LibrarySection;
import io.flexc.model.MechanismSection;
import io.flexc.model.MemoryAccess;
import io.flexc.model.MemoryAccess.Operation;
import io.flexc.model.Names;
import io.flexc.model.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes metadata in the canonical seed notation: every section, in a fixed order, with the
 * shortest spelling of each value. {@code parse(print(m))} equals {@code m} for every library and
 * mechanism, and printing is deterministic.
 */
public final class MetadataPrinter {

  /** A flag the lexer reads back as one FLAG token; anything else is quoted. */
  private static final Pattern BARE_FLAG = Pattern.compile("-[^\\s,()\"#\\\\>\\[\\]][^\\s,()\"#\\\\\\[\\]]*");

  private MetadataPrinter() {}

  public static String print(LibraryMetadata metadata) {
    StringBuilder out = new StringBuilder();
    section(out, LibrarySection.LIBRARY.title(), List.of(metadata.name()));
    section(out, LibrarySection.MEMORY_ACCESS.title(), memoryAccess(metadata.memoryAccess()));
    section(out, LibrarySection.CALL.title(), call(metadata.call()));
    apiSection(out, metadata.api());
    section(
        out,
        LibrarySection.REQUIRES.title(),
        new TreeSet<>(metadata.requires()).stream().map(Permission::name).toList());
    metadata.role().ifPresent(role -> section(out, LibrarySection.ROLE.title(), List.of(role)));
    metadata.verifiedWith()
        .ifPresent(tool -> section(out, LibrarySection.VERIFIED.title(), List.of(word(tool))));
    metadata.language()
        .ifPresent(language -> section(out, LibrarySection.LANGUAGE.title(), List.of(word(language))));
    return out.toString();
  }

  public static String print(HardeningMechanism mechanism) {
    StringBuilder out = new StringBuilder();
    section(out, MechanismSection.MECHANISM.title(), List.of(mechanism.name()));
    if (!mechanism.description().isEmpty()) {
      section(out, MechanismSection.DESCRIPTION.title(), List.of(quote(mechanism.description())));
    }
    section(
        out,
        MechanismSection.EFFECT.title(),
        new TreeSet<>(mechanism.restricts()).stream()
            .map(b -> b.notation() + " -> " + b.restrictedNotation())
            .toList());
    section(out, MechanismSection.NEEDS.title(), new TreeSet<>(mechanism.needs()).stream().toList());
    section(out, MechanismSection.COST.title(), List.of(Integer.toString(mechanism.cost())));
    section(out, MechanismSection.SAFETY.title(), List.of(Integer.toString(mechanism.safety())));
    section(out, MechanismSection.FLAGS.title(), flags(mechanism.compilerFlags()));
    section(out, MechanismSection.LINK_FLAGS.title(), flags(mechanism.linkerFlags()));
    return out.toString();
  }

  /** The canonical items of a {@code [Memory Access]} body, e.g. {@code [RA, W]}. */
  public static List<String> memoryAccess(Set<MemoryAccess> accesses) {
    List<String> items = new ArrayList<>();
    for (Operation operation : Operation.values()) {
      String letter = operation == Operation.READ ? "R" : "W";
      boolean own = accesses.contains(MemoryAccess.of(MemoryAccess.Region.OWN, operation));
      boolean shared = accesses.contains(MemoryAccess.of(MemoryAccess.Region.SHARED, operation));
      if (accesses.contains(MemoryAccess.of(MemoryAccess.Region.ANY, operation))) {
        items.add(letter + "A");
      } else if (own && shared) {
        items.add(letter);
      } else if (own) {
        items.add("(own, " + letter + ")");
      } else if (shared) {
        items.add("(shared, " + letter + ")");
      }
    }
    return items;
  }

  /** The canonical items of a {@code [Call]} body, e.g. {@code [XA]} or {@code [alloc::*]}. */
  public static List<String> call(CallPolicy policy) {
    List<String> items = new ArrayList<>();
    if (policy.anywhere()) {
      items.add(Behaviour.EXECUTE_ANY.notation());
    } else if (policy.targets().isEmpty()) {
      items.add("X");
    }
    policy.targets().stream().map(CallTarget::toString).forEach(items::add);
    return items;
  }

  /** One entry a line, joined by continuations, so long APIs stay readable. */
  private static void apiSection(StringBuilder out, List<ApiFunction> api) {
    out.append('[').append(LibrarySection.API.title()).append("] ::=");
    for (int i = 0; i < api.size(); i++) {
      ApiFunction function = api.get(i);
      out.append(i == 0 ? " " : " \\\n    ");
      out.append('(').append(function.symbol()).append(", SYMB");
      function.prototype().ifPresent(prototype -> out.append(", ").append(quote(prototype)));
      function.resultOnCrash().ifPresent(result -> out.append(", (on-crash, ").append(result).append(')'));
      out.append(')');
    }
    out.append('\n');
  }

  private static List<String> flags(List<String> flags) {
    return flags.stream().map(f -> BARE_FLAG.matcher(f).matches() ? f : quote(f)).toList();
  }

  private static String word(String text) {
    return Names.isIdentifier(text) ? text : quote(text);
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }

  private static void section(StringBuilder out, String title, List<String> items) {
    out.append('[').append(title).append("] ::=");
    if (!items.isEmpty()) {
      out.append(' ').append(String.join(", ", items));
    }
    out.append('\n');
  }
}
