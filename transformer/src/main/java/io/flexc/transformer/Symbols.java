package io.flexc.transformer;

import java.util.Optional;

/**
 * What a file's rewrite needs to know about the whole application: which library defines a global
 * function, which compartment a library is in, and which globals code of another compartment than
 * their owner's references (shared, so the buffers their pointers hold are read there too).
 */
interface Symbols {

  Optional<String> functionOwner(String name);

  int compartmentOf(String library);

  boolean isReferencedAcross(String global);
}
