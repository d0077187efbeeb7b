package io.flexc.model;

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

  /** The caller compartment of an entry gate: any compartment may call it. */
  public static final int ANY_COMPARTMENT = -1;

  public static String name(int callerCompartment, String function) {
    return "flexc_gate_c" + callerCompartment + "_" + function;
  }

  /**
   * The entry gate of {@code function}, named after the function alone: what a function pointer
   * to it points to, whichever compartment calls through it (its caller compartment is {@link
   * #ANY_COMPARTMENT}). A call from the function's own compartment goes straight to it.
   */
  public static Gate entry(int calleeCompartment, String calleeLibrary, String function, Optional<Prototype> prototype) {
    return new Gate("flexc_entry_" + function, ANY_COMPARTMENT, calleeCompartment, calleeLibrary, function, prototype);
  }

  /** Whether this is an entry gate, which finds its caller's compartment when called. */
  public boolean fromAnyCompartment() {
    return callerCompartment == ANY_COMPARTMENT;
  }

  /**
   * The global alias a static function of {@code file} gets when another compartment calls it
   * back: gates live in other objects, which cannot name a static function.
   */
  public static String staticAlias(String library, java.nio.file.Path file, String function) {
    String stem = file.getFileName().toString().replaceAll("\\.c$", "").replaceAll("\\W", "_");
    return "flexc_static_" + library + "_" + stem + "_" + function;
  }
}
