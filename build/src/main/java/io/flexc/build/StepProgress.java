package io.flexc.build;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Steps on standard error with the time each took, so a long build shows where it is. A step's
 * line stays open until the step ends; anything written through {@link #messages()} meanwhile (a
 * diagnostic, a note) first ends that line, so a message never starts in the middle of one.
 */
public final class StepProgress {

  /** Prints nothing: for builds whose caller reports progress its own way. */
  public static StepProgress silent(PrintWriter err) {
    return new StepProgress(err, true);
  }

  private final PrintWriter err;
  private final boolean quiet;
  private final PrintWriter messages;
  private long started;
  private String current;

  public StepProgress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
    this.messages = new PrintWriter(new LineEnding(), true);
  }

  /** Standard error for the command's other messages, which end an open step's line first. */
  public PrintWriter messages() {
    return messages;
  }

  public void step(String what) {
    finish();
    if (quiet) {
      return;
    }
    current = what;
    started = System.nanoTime();
    err.printf("flexc: %s ... ", what);
    err.flush();
  }

  public void done() {
    finish();
  }

  /** Prints {@code line} on a line of its own, ending the current step's without a time: it did not finish. */
  public void interrupt(String line) {
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

  /** Ends the open step's line (without a time: the step did not finish) before passing text on. */
  private final class LineEnding extends Writer {
    @Override
    public void write(char[] text, int offset, int length) {
      if (length == 0) {
        return;
      }
      if (current != null) {
        err.println();
        current = null;
      }
      err.write(text, offset, length);
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      err.flush();
    }
  }
}
