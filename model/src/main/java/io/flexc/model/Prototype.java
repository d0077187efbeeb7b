package io.flexc.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A callee's prototype as its definition spells it, for gate stubs that must match it exactly:
 * return type (with its storage words), parameter list, whether it is variadic, and the file that
 * defines it (whose {@code #include}s make its types known).
 */
public record Prototype(String returnType, String parameters, boolean variadic, Path definedIn) {

  private static final Pattern ATTRIBUTE = Pattern.compile("__attribute__\\s*\\(\\((?:[^()]|\\([^()]*\\))*\\)\\)");
  private static final Set<String> STORAGE_WORDS = Set.of("static", "inline", "__inline", "__inline__", "extern");

  public String declaration(String name) {
    return returnType + (returnType.endsWith("*") ? "" : " ") + name + "(" + parameters + ")";
  }

  /** The return type without {@code static}, {@code inline}, {@code extern} or attributes. */
  public String plainReturnType() {
    return Arrays.stream(ATTRIBUTE.matcher(returnType).replaceAll(" ").trim().split("\\s+"))
        .filter(word -> !STORAGE_WORDS.contains(word))
        .collect(Collectors.joining(" "));
  }
}
