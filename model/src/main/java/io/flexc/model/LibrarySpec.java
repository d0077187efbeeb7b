package io.flexc.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One library as flexc.yaml lists it: its metadata file and its C sources (directories or files,
 * possibly none for metadata-only studies), paths resolved against the application directory.
 */
public record LibrarySpec(String name, Path metadata, List<Path> sources, SourcePosition position) {

  public LibrarySpec {
    Names.requireIdentifier(name, "library name");
    Objects.requireNonNull(metadata, "metadata");
    sources = List.copyOf(sources);
    Objects.requireNonNull(position, "position");
  }
}
