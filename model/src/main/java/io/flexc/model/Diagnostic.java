package io.flexc.model;

import java.util.Objects;

/**
 * One problem found in an input, tied to where it is.
 *
 * <p>Diagnostics are values: stages return them instead of throwing, so a command can report every
 * problem at once. {@link #format()} renders the exact text users and tests see, e.g. {@code
 * sched.meta:3:12: error: unknown permission 'Q' in [Requires]; expected R, W or X}.
 */
public record Diagnostic(DiagnosticKind kind, SourcePosition position, String message) {

  public Diagnostic {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(message, "message");
  }

  /** A diagnostic of {@code kind} at {@code position}, its message filled from the catalogue. */
  public static Diagnostic of(DiagnosticKind kind, SourcePosition position, Object... arguments) {
    return new Diagnostic(kind, position, kind.render(arguments));
  }

  public Severity severity() {
    return kind.severity();
  }

  public boolean isError() {
    return severity() == Severity.ERROR;
  }

  /**
   * The one line users see. Names and paths in it come from the inputs, so controls and line
   * separators in them are escaped ({@link Printable}): a crafted name cannot forge another line.
   */
  public String format() {
    return Printable.escape(position.format() + ": " + severity().label() + ": " + message);
  }

  @Override
  public String toString() {
    return format();
  }
}
