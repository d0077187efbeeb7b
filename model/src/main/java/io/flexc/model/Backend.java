package io.flexc.model;

import java.util.Locale;
import java.util.Optional;

/** The isolation backend that enforces compartment boundaries. */
public enum Backend {
  /** No isolation: gates are plain function calls (the baseline). */
  FCALL,
  /** Intel memory protection keys: one key per compartment. */
  MPK,
  /** One VM per compartment, calls by RPC over a shared area. */
  EPT,
  /** One Linux process per compartment, the EPT protocol over shared memory and futexes. */
  PROC;

  /** The name used in flexc.yaml and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Backend> fromLabel(String label) {
    for (Backend backend : values()) {
      if (backend.label().equals(label)) {
        return Optional.of(backend);
      }
    }
    return Optional.empty();
  }
}
