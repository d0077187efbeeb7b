package io.flexc.transformer;

import java.util.Optional;

/**
 * What a file's rewrite needs to know about the whole application: which library defines a global
 * function, which compartment a library is in, and a function's prototype.
 */
interface Symbols {

  Optional<String> functionOwner(String name);

  int compartmentOf(String library);

  Optional<Prototype> prototype(String function);
}
