package io.flexc.transformer;

import io.flexc.transformer.objects.ElfObject;
import io.flexc.transformer.source.MacroDefinition;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sources compiled as given (object level only): each file's object, which the rewrite is
 * checked against, and the macros its translation unit defines.
 */
record Originals(Map<Path, ElfObject> objects, Map<Path, Map<String, MacroDefinition>> macros) {

  /** Without the object level: nothing compiled, so no object and no macro is known. */
  static final Originals NONE = new Originals(Map.of(), Map.of());

  Originals {
    objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
    macros = Map.copyOf(macros);
  }

  Map<String, MacroDefinition> macrosOf(Path file) {
    return macros.getOrDefault(file, Map.of());
  }
}
