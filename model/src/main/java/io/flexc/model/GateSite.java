package io.flexc.model;

import java.nio.file.Path;

/**
 * A place that goes through a gate: a call, a use of a function's address (callers in another
 * compartment may call it), a callback handed to another compartment, or a FlexOS annotation.
 * Source-level sites have a line and column; object-level ones (calls produced by macros or in
 * headers, redirected with objcopy) have line 0 and count how many references were redirected.
 * {@code gateCompartment} is the compartment the gate is entered from: the caller's, except for a
 * callback, which the callee's compartment will call.
 */
public record GateSite(
    Path file,
    int line,
    int column,
    String callerLibrary,
    String callerFunction,
    int gateCompartment,
    String calleeLibrary,
    String function,
    String gate,
    Kind kind,
    Level level,
    int count) {

  public enum Kind {
    CALL,
    ADDRESS,
    CALLBACK,
    ANNOTATION
  }

  public enum Level {
    SOURCE,
    OBJECT
  }
}
