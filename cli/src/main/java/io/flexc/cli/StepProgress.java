package io.flexc.cli;

import java.io.PrintWriter;

/** Steps on standard error with the time each took, so a long build shows where it is. */
final class StepProgress {

  /** Prints nothing: for builds whose caller reports progress its own way. */
  static StepProgress silent(PrintWriter err) {
    return new StepProgress(err, true);
  }

  private final PrintWriter err;
  private final boolean quiet;
  private long started;
  private String current;

  StepProgress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  void step(String what) {
    finish();
    if (quiet) {
      return;
    }
    current = what;
    started = System.nanoTime();
    err.printf("flexc: %s ... ", what);
    err.flush();
  }

  void done() {
    finish();
  }

  /** Prints {@code line} on a line of its own, ending the current step's without a time: it did not finish. */
  void interrupt(String line) {
    if (current != null) {
      err.println();
      current = null;
    }
    err.println(line);
    err.flush();
  }

  private void finish() {
    if (current != null) {
      err.printf("%.1f s%n", (System.nanoTime() - started) / 1e9);
      err.flush();
      current = null;
    }
  }
}
