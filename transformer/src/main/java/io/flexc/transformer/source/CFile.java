package io.flexc.transformer.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One C file as the scanner understood it: its text, its code tokens (comments, preprocessor lines
 * and {@code #if 0} regions left out), the functions it defines, the names it uses, and the names
 * each function declares locally (parameters and locals, which shadow functions of the same name).
 */
public record CFile(
    Path path,
    String text,
    List<CToken> code,
    List<FunctionDefinition> functions,
    List<Reference> references,
    Map<String, Set<String>> localNames) {

  public CFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
    code = List.copyOf(code);
    functions = List.copyOf(functions);
    references = List.copyOf(references);
    localNames = Map.copyOf(localNames);
  }

  /** Whether {@code name} is a parameter or local of {@code function}, hiding any function. */
  public boolean isLocal(String function, String name) {
    return localNames.getOrDefault(function, Set.of()).contains(name);
  }
}
