package io.flexc.metadata;

import io.flexc.metadata.parse.RawSection;
import io.flexc.model.BoundedDiagnostics;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sections of one file by canonical name. Names match case-insensitively ({@code [memory
 * access]} is {@code [Memory Access]}) and the sections kept carry the canonical name; unknown and
 * repeated sections are reported.
 */
final class SectionTable {

  private final Map<String, RawSection> sections = new LinkedHashMap<>();

  SectionTable(List<RawSection> raw, List<String> knownNames, BoundedDiagnostics diagnostics) {
    Map<String, String> canonicalByKey = new LinkedHashMap<>();
    knownNames.forEach(name -> canonicalByKey.put(key(name), name));
    for (RawSection section : raw) {
      String canonical = canonicalByKey.get(key(section.name()));
      if (canonical == null) {
        String expected =
            knownNames.stream().map(name -> "[" + name + "]").collect(Collectors.joining(", "));
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.UNKNOWN_SECTION, section.position(), section.name(), expected));
        continue;
      }
      RawSection first =
          sections.putIfAbsent(
              canonical, new RawSection(canonical, section.position(), section.items()));
      if (first != null) {
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.DUPLICATE_SECTION,
                section.position(),
                canonical,
                first.position().lineAndColumn()));
      }
    }
  }

  Optional<RawSection> get(String canonicalName) {
    return Optional.ofNullable(sections.get(canonicalName));
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
  }
}
