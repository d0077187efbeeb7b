package io.flexc.metadata;

import io.flexc.metadata.parse.RawItem;
import io.flexc.metadata.parse.RawSection;
import io.flexc.model.Behaviour;
import io.flexc.model.BoundedDiagnostics;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.HardeningMechanism;
import io.flexc.model.Located;
import io.flexc.model.MechanismSection;
import io.flexc.model.Names;
import io.flexc.model.Outcome;
import io.flexc.model.SourceMap;
import io.flexc.model.SourcePosition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gives the sections of a hardening-mechanism definition their meaning: {@code [Mechanism]} (the
 * name, required), {@code [Description]}, {@code [Effect]} rules such as {@code WA -> W}, {@code
 * [Needs]}, {@code [Cost]} (required), {@code [Safety]}, {@code [Flags]} and {@code [Link Flags]}.
 */
final class MechanismInterpreter {

  private final String file;
  private final BoundedDiagnostics diagnostics = new BoundedDiagnostics();
  private final Map<String, SourcePosition> sectionPositions = new HashMap<>();
  private final Map<String, SourcePosition> itemPositions = new HashMap<>();

  MechanismInterpreter(String file) {
    this.file = file;
  }

  Outcome<Located<HardeningMechanism>> interpret(List<RawSection> raw) {
    SectionTable table = new SectionTable(raw, MechanismSection.titles(), diagnostics);
    for (MechanismSection section : MechanismSection.values()) {
      table.get(section.title()).ifPresent(s -> sectionPositions.put(section.title(), s.position()));
    }
    SourcePosition start = SourcePosition.startOf(file);

    Optional<String> name =
        required(table, MechanismSection.MECHANISM, "every mechanism needs a name", start)
            .flatMap(this::name);
    String description =
        table.get(MechanismSection.DESCRIPTION.title()).map(this::description).orElse("");
    Set<Behaviour> restricts =
        table.get(MechanismSection.EFFECT.title()).map(this::effects).orElse(Set.of());
    Set<String> needs = table.get(MechanismSection.NEEDS.title()).map(this::needs).orElse(Set.of());
    int cost =
        required(table, MechanismSection.COST, "say its estimated overhead in percent", start)
            .map(this::number)
            .orElse(0);
    int safety = table.get(MechanismSection.SAFETY.title()).map(this::number).orElse(0);
    List<String> flags = table.get(MechanismSection.FLAGS.title()).map(this::flags).orElse(List.of());
    List<String> linkFlags =
        table.get(MechanismSection.LINK_FLAGS.title()).map(this::flags).orElse(List.of());

    if (name.isPresent() && needs.contains(name.get())) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.MALFORMED_VALUE,
              sectionPositions.get(MechanismSection.NEEDS.title()),
              "a mechanism cannot need itself"));
    }
    if (name.isEmpty() || diagnostics.hasErrors()) {
      return Outcome.failure(diagnostics.toList());
    }
    HardeningMechanism mechanism =
        new HardeningMechanism(
            name.get(), description, restricts, needs, cost, safety, flags, linkFlags);
    return Outcome.of(
        new Located<>(mechanism, new SourceMap(file, sectionPositions, itemPositions)),
        diagnostics.toList());
  }

  private Optional<RawSection> required(
      SectionTable table, MechanismSection section, String why, SourcePosition start) {
    Optional<RawSection> found = table.get(section.title());
    if (found.isEmpty()) {
      diagnostics.add(Diagnostic.of(DiagnosticKind.MISSING_SECTION, start, section.title(), why));
    }
    return found;
  }

  private Optional<String> name(RawSection section) {
    if (section.items().size() == 1
        && section.items().get(0) instanceof RawItem.Word word
        && Names.isIdentifier(word.text())) {
      return Optional.of(word.text());
    }
    report(section, "[Mechanism] takes one name, e.g. asan");
    return Optional.empty();
  }

  private String description(RawSection section) {
    String text =
        section.items().stream()
            .map(item -> item instanceof RawItem.Quoted quoted ? quoted.value() : item.text())
            .collect(Collectors.joining(" "))
            .strip();
    if (!text.isEmpty() && !Names.isQuotable(text)) {
      report(section, "[Description] is one line of text");
    }
    return text;
  }

  private Set<Behaviour> effects(RawSection section) {
    EnumSet<Behaviour> restricts = EnumSet.noneOf(Behaviour.class);
    for (RawItem item : section.items()) {
      Optional<Behaviour> restricted = effect(item);
      if (restricted.isEmpty()) {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.MALFORMED_VALUE,
                item.position(),
                "an effect restricts a behaviour to its harmless form: RA -> R, WA -> W or XA -> X;"
                    + " found '" + item.text() + "'"));
        continue;
      }
      restricts.add(restricted.get());
      itemPositions.putIfAbsent(
          SourceMap.itemKey(section.name(), restricted.get().notation()), item.position());
    }
    return restricts;
  }

  private static Optional<Behaviour> effect(RawItem item) {
    if (item instanceof RawItem.Rule rule
        && rule.from() instanceof RawItem.Word from
        && rule.to() instanceof RawItem.Word to) {
      Behaviour behaviour = Behaviour.fromNotation(from.text());
      if (behaviour != null && behaviour.restrictedNotation().equals(to.text())) {
        return Optional.of(behaviour);
      }
    }
    return Optional.empty();
  }

  private Set<String> needs(RawSection section) {
    Set<String> needs = new LinkedHashSet<>();
    for (RawItem item : section.items()) {
      if (item instanceof RawItem.Word word && Names.isIdentifier(word.text())) {
        needs.add(word.text());
      } else {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.MALFORMED_VALUE,
                item.position(),
                "[Needs] lists mechanism names; found '" + item.text() + "'"));
      }
    }
    return needs;
  }

  private int number(RawSection section) {
    if (section.items().size() == 1 && section.items().get(0) instanceof RawItem.Number number) {
      try {
        return Integer.parseInt(number.text());
      } catch (NumberFormatException notAnInteger) {
        // reported below
      }
    }
    report(section, "[" + section.name() + "] takes one whole number, e.g. 25");
    return 0;
  }

  private List<String> flags(RawSection section) {
    List<String> flags = new ArrayList<>();
    for (RawItem item : section.items()) {
      switch (item) {
        case RawItem.Flag flag -> flags.add(flag.text());
        case RawItem.Quoted quoted when Names.isQuotable(quoted.value()) -> flags.add(quoted.value());
        default ->
            diagnostics.add(
                Diagnostic.of(
                    DiagnosticKind.MALFORMED_VALUE,
                    item.position(),
                    "[" + section.name() + "] lists compiler flags such as -fsanitize=address"
                        + " (quote a flag that holds a comma); found '" + item.text() + "'"));
      }
    }
    return flags;
  }

  private void report(RawSection section, String message) {
    SourcePosition where =
        section.items().isEmpty() ? section.position() : section.items().get(0).position();
    diagnostics.add(Diagnostic.of(DiagnosticKind.MALFORMED_VALUE, where, message));
  }
}
