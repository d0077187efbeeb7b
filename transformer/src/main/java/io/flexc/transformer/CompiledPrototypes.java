package io.flexc.transformer;

import io.flexc.transformer.types.CompiledFunction;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  /** The files asked about: those read and those that could not be. */
  Set<Path> files() {
    Set<Path> files = new HashSet<>(unread.keySet());
    functions.values().forEach(defined -> files.add(defined.file()));
    return files;
  }

  /** These functions and {@code more}'s (these first). */
  CompiledPrototypes plus(CompiledPrototypes more) {
    Map<String, Defined> all = new LinkedHashMap<>(functions);
    more.functions.forEach(all::putIfAbsent);
    Map<Path, String> failed = new LinkedHashMap<>(unread);
    failed.putAll(more.unread);
    return new CompiledPrototypes(all, failed);
  }

  Optional<Defined> of(String name) {
    return Optional.ofNullable(functions.get(name));
  }
}
