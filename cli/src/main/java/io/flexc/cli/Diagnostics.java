package io.flexc.cli;

import io.flexc.model.Diagnostic;
import io.flexc.model.Outcome;
import java.io.PrintWriter;
import java.util.Optional;

/** Prints what a stage reported, the same way for every command. */
final class Diagnostics {

  private Diagnostics() {}

  /** Prints the outcome's diagnostics to {@code err}; returns its value. */
  static <T> Optional<T> report(Outcome<T> outcome, PrintWriter err) {
    for (Diagnostic diagnostic : outcome.diagnostics()) {
      err.println(diagnostic.format());
    }
    err.flush();
    return outcome.value();
  }
}
