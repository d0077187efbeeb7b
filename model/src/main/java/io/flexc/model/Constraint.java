package io.flexc.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A placement rule the user wrote in flexc.yaml (or that a kraft.yaml pins). Each remembers where
 * it was written, so an unsatisfiable policy can be explained in the user's own words.
 */
public sealed interface Constraint {

  SourcePosition position();

  /** The rule as the user wrote it, e.g. {@code together: [redis, newlib]}. */
  String describe();

  /** These libraries share one compartment. */
  record Together(List<String> libraries, SourcePosition position) implements Constraint {
    public Together {
      libraries = List.copyOf(libraries);
    }

    @Override
    public String describe() {
      return "together: " + list(libraries);
    }
  }

  /** No two of these libraries share a compartment. */
  record Apart(List<String> libraries, SourcePosition position) implements Constraint {
    public Apart {
      libraries = List.copyOf(libraries);
    }

    @Override
    public String describe() {
      return "apart: " + list(libraries);
    }
  }

  /** This library shares its compartment with no other. */
  record Isolate(String library, SourcePosition position) implements Constraint {
    @Override
    public String describe() {
      return "isolate: " + library;
    }
  }

  /** At most this many compartments. */
  record MaxCompartments(int limit, SourcePosition position) implements Constraint {
    public MaxCompartments {
      if (limit < 1) {
        throw new IllegalArgumentException("max-compartments must be at least 1: " + limit);
      }
    }

    @Override
    public String describe() {
      return "max-compartments: " + limit;
    }
  }

  /** This library is in this compartment (0-based), as a kraft.yaml assigns it. */
  record Pin(String library, int compartment, SourcePosition position) implements Constraint {
    public Pin {
      if (compartment < 0) {
        throw new IllegalArgumentException("compartments are numbered from 0: " + compartment);
      }
    }

    @Override
    public String describe() {
      return "pin: " + library + " in compartment " + compartment;
    }
  }

  private static String list(List<String> names) {
    return names.stream().collect(Collectors.joining(", ", "[", "]"));
  }
}
