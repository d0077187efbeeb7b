package io.flexc.model;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A place where the compiled code takes a function's address (a relocation that is not a call):
 * in {@code file} of {@code library}, inside {@code referrer} (the function whose code, or the
 * datum whose initializer, holds it), {@code count} times. {@code line} is the first use the source
 * shows there, 0 when the source does not show the name (a pasted or generated one). {@code entry}
 * is the entry gate the address now goes to; when it is empty, {@code note} says why it was not
 * routed.
 */
public record AddressSite(
    Path file,
    int line,
    String library,
    String referrer,
    String function,
    String functionLibrary,
    Kind kind,
    int count,
    Optional<String> entry,
    String note) {

  public AddressSite {
    if (count < 1) {
      throw new IllegalArgumentException("an address site counts at least one reference: " + count);
    }
  }

  /** How the address is taken, as far as the object and the source tell. */
  public enum Kind {
    /** Passed to a function: {@code register(f)}. */
    CALL_ARGUMENT,
    /** Passed to a function-like macro, parenthesised or not: {@code REGISTER((f))}. */
    MACRO_ARGUMENT,
    /** Returned: {@code return f;}. */
    RETURN_VALUE,
    /** Stored in a struct's field by code: {@code ops->run = f;}. */
    STRUCT_FIELD,
    /** In initialised data: a static table, a struct initializer. */
    DATA,
    /** Other code: an assignment to a variable or an array, a comparison, a name made by the preprocessor. */
    CODE
  }
}
