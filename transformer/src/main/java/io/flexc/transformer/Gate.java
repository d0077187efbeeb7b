package io.flexc.transformer;

import java.util.Optional;

/**
 * One gate the backends must generate: code of compartment {@code callerCompartment} enters
 * {@code calleeCompartment} to run {@code function} of {@code calleeLibrary}. Named after the
 * (caller compartment, callee function) pair; the prototype is known when the callee's
 * definition was found in the sources.
 */
public record Gate(
    String name,
    int callerCompartment,
    int calleeCompartment,
    String calleeLibrary,
    String function,
    Optional<Prototype> prototype) {

  public static String name(int callerCompartment, String function) {
    return "flexc_gate_c" + callerCompartment + "_" + function;
  }
}
