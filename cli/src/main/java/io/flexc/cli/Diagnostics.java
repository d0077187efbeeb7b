package io.flexc.cli;

import io.flexc.model.Diagnostic;
import io.flexc.model.Outcome;
import java.io.PrintWriter;
import java.util.Optional;

/** Prints what a stage reported, the same way for every command. */
final class Diagnostics {

  private Diagnostics() {}

  /**
   * Prints the outcome's diagnostics to {@code err}, at most {@link
   * io.flexc.model.BoundedDiagnostics#MAX_PER_FILE} per file, each on one line; returns its value.
   */
  static <T> Optional<T> report(Outcome<T> outcome, PrintWriter err) {
    for (Diagnostic diagnostic : outcome.limitedPerFile().diagnostics()) {
      err.println(diagnostic.format());
    }
    err.flush();
    return outcome.value();
  }
}
