package io.flexc.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated application: its flexc.yaml, the metadata of every library (in the order flexc.yaml
 * lists them) and every hardening mechanism known to it, built-in or user-defined.
 *
 * <p>Construction checks the cross-references a loader has already reported on, so that later
 * stages may rely on them: every library has metadata under its own name, and every mechanism the
 * solver may apply is defined.
 */
public record Application(
    ApplicationSpec spec,
    Map<String, Located<LibraryMetadata>> libraries,
    Map<String, Located<HardeningMechanism>> mechanisms) {

  public Application {
    Objects.requireNonNull(spec, "spec");
    libraries = OrderedMaps.copyOf(libraries);
    mechanisms = OrderedMaps.copyOf(mechanisms);
    for (LibrarySpec library : spec.libraries()) {
      Located<LibraryMetadata> metadata = libraries.get(library.name());
      if (metadata == null || !metadata.value().name().equals(library.name())) {
        throw new IllegalArgumentException("no metadata for library " + library.name());
      }
    }
    if (libraries.size() != spec.libraries().size()) {
      throw new IllegalArgumentException("metadata for libraries flexc.yaml does not list");
    }
    for (String mechanism : spec.hardening()) {
      if (!mechanisms.containsKey(mechanism)) {
        throw new IllegalArgumentException("unknown mechanism " + mechanism);
      }
    }
  }

  public String name() {
    return spec.name();
  }

  public List<String> libraryNames() {
    return List.copyOf(libraries.keySet());
  }

  public LibraryMetadata library(String name) {
    Located<LibraryMetadata> located = libraries.get(name);
    if (located == null) {
      throw new IllegalArgumentException("no library " + name + " in " + name());
    }
    return located.value();
  }
}
