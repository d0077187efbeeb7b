package io.flexc.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a stage: a value when the input was good enough to produce one, and every
 * diagnostic found on the way (warnings may accompany a value; an error never does).
 */
public record Outcome<T>(Optional<T> value, List<Diagnostic> diagnostics) {

  public Outcome {
    Objects.requireNonNull(value, "value");
    diagnostics = List.copyOf(diagnostics);
    if (value.isPresent() && diagnostics.stream().anyMatch(Diagnostic::isError)) {
      throw new IllegalArgumentException("an outcome with errors cannot carry a value");
    }
  }

  /** {@code value} unless {@code diagnostics} holds an error, in which case no value. */
  public static <T> Outcome<T> of(T value, List<Diagnostic> diagnostics) {
    boolean failed = diagnostics.stream().anyMatch(Diagnostic::isError);
    return new Outcome<>(failed ? Optional.empty() : Optional.of(value), diagnostics);
  }

  public static <T> Outcome<T> failure(List<Diagnostic> diagnostics) {
    return new Outcome<>(Optional.empty(), diagnostics);
  }

  /** The same outcome with its diagnostics in file and position order. */
  public Outcome<T> sortedByPosition() {
    List<Diagnostic> sorted = new ArrayList<>(diagnostics);
    sorted.sort(Comparator.comparing(Diagnostic::position));
    return new Outcome<>(value, sorted);
  }

  /** The same outcome with at most {@link BoundedDiagnostics#MAX_PER_FILE} diagnostics per file. */
  public Outcome<T> limitedPerFile() {
    return new Outcome<>(value, BoundedDiagnostics.limit(diagnostics));
  }

  public boolean succeeded() {
    return value.isPresent();
  }

  /** The value; only call after {@link #succeeded()}. */
  public T get() {
    return value.orElseThrow(() -> new IllegalStateException("no value: " + diagnostics));
  }
}
