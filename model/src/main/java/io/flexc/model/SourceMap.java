package io.flexc.model;

import java.util.Map;
import java.util.Objects;

/**
 * Where each part of a metadata file was written: the position of every section header, and of
 * every item inside a section keyed by {@link #itemKey}. Explanations use it to point at the clause
 * that makes two libraries incompatible.
 */
public record SourceMap(
    String file, Map<String, SourcePosition> sections, Map<String, SourcePosition> items) {

  public SourceMap {
    Objects.requireNonNull(file, "file");
    sections = Map.copyOf(sections);
    items = Map.copyOf(items);
  }

  /** A map for a value built in code rather than read from a file. */
  public static SourceMap synthetic(String origin) {
    return new SourceMap(origin, Map.of(), Map.of());
  }

  public static String itemKey(String section, String item) {
    return section + "/" + item;
  }

  /** The header of {@code section}, or the start of the file when the section was left out. */
  public SourcePosition section(String section) {
    return sections.getOrDefault(section, SourcePosition.startOf(file));
  }

  /** The item as written in {@code section}, falling back to the section's header. */
  public SourcePosition item(String section, String item) {
    SourcePosition position = items.get(itemKey(section, item));
    return position != null ? position : section(section);
  }
}
