package io.flexc.model;

import java.util.Optional;

/**
 * One gate the backends must generate: code of compartment {@code callerCompartment} enters
 * {@code calleeCompartment} to run {@code function} of {@code calleeLibrary}. Named after the
 * (caller compartment, callee function) pair; the prototype is known when the callee's
 * definition was found in the sources.
 *
 * <p>An <em>entry gate</em> ({@link #isEntry()}, caller {@link #ANY_COMPARTMENT}, named {@link
 * #entryName}) is what a function's address becomes once it may reach another compartment: a
 * function pointer is one address, called from whichever compartment holds it, so its stub must
 * work from any caller compartment, and call the function directly when the caller is already in
 * {@code calleeCompartment}.
 */
public record Gate(
    String name,
    int callerCompartment,
    int calleeCompartment,
    String calleeLibrary,
    String function,
    Optional<Prototype> prototype) {

  /** The caller compartment of an entry gate: whichever compartment calls through the pointer. */
  public static final int ANY_COMPARTMENT = -1;

  public Gate {
    if (callerCompartment < ANY_COMPARTMENT) {
      throw new IllegalArgumentException("gate " + name + ": caller compartment " + callerCompartment);
    }
  }

  /** Whether this is an entry gate, entered from any compartment through a function pointer. */
  public boolean isEntry() {
    return callerCompartment == ANY_COMPARTMENT;
  }

  /** The entry gate of {@code function}, which every address use of it becomes. */
  public static String entryName(String function) {
    return "flexc_entry_" + function;
  }

  public static String name(int callerCompartment, String function) {
    return "flexc_gate_c" + callerCompartment + "_" + function;
  }

  /** The entry gate of {@code function} in {@code calleeCompartment}. */
  public static Gate entry(int calleeCompartment, String calleeLibrary, String function, Optional<Prototype> prototype) {
    return new Gate(entryName(function), ANY_COMPARTMENT, calleeCompartment, calleeLibrary, function, prototype);
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
