package io.flexc.transformer;

import java.util.Optional;

/**
 * What a file's rewrite needs to know about the whole application: which library defines a global
 * function, and which compartment a library is in.
 */
interface Symbols {

  Optional<String> functionOwner(String name);

  int compartmentOf(String library);
}
