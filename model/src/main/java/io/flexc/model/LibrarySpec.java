package io.flexc.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One library as flexc.yaml lists it: its metadata file, its C source files (the directories and
 * globs of flexc.yaml expanded, sorted; possibly none for metadata-only studies) and the extra
 * compiler flags its files need.
 */
public record LibrarySpec(
    String name, Path metadata, List<Path> sources, List<String> cflags, SourcePosition position) {

  public LibrarySpec {
    Names.requireIdentifier(name, "library name");
    Objects.requireNonNull(metadata, "metadata");
    sources = List.copyOf(sources);
    cflags = List.copyOf(cflags);
    Objects.requireNonNull(position, "position");
  }

  /** A library without sources, as metadata-only studies and generated problems have. */
  public static LibrarySpec metadataOnly(String name, Path metadata, SourcePosition position) {
    return new LibrarySpec(name, metadata, List.of(), List.of(), position);
  }
}
