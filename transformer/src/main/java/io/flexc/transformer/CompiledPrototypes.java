package io.flexc.transformer;

import io.flexc.transformer.types.CompiledFunction;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Functions as the compiler saw them, by name (a static one by its alias), each with the file
 * that defines it; and the files whose debugging information could not be had, with the reason.
 */
record CompiledPrototypes(Map<String, Defined> functions, Map<Path, String> unread) {

  /** A function and the source file whose object defines it. */
  record Defined(Path file, CompiledFunction function) {}

  static final CompiledPrototypes NONE = new CompiledPrototypes(Map.of(), Map.of());

  CompiledPrototypes {
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    unread = Collections.unmodifiableMap(new LinkedHashMap<>(unread));
  }

  Optional<Defined> of(String name) {
    return Optional.ofNullable(functions.get(name));
  }
}
