package io.flexc.model;

import java.util.Objects;

/** A value read from a file, together with where its parts were written. */
public record Located<T>(T value, SourceMap source) {

  public Located {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }
}
