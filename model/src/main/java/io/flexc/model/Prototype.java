package io.flexc.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A callee's prototype as its definition spells it, for gate stubs that must match it exactly:
 * return type (with its storage words), parameter list, whether it is variadic, and the file that
 * defines it (whose {@code #include}s make its types known); and, once the compiler has been
 * asked, the call's {@link CallShape}, which gates that forward at the ABI level rely on.
 */
public record Prototype(
    String returnType, String parameters, boolean variadic, Path definedIn, Optional<CallShape> shape) {

  private static final Pattern ATTRIBUTE = Pattern.compile("__attribute__\\s*\\(\\((?:[^()]|\\([^()]*\\))*\\)\\)");
  private static final Set<String> STORAGE_WORDS = Set.of("static", "inline", "__inline", "__inline__", "extern");

  /** A prototype as the source spells it, before the compiler was asked. */
  public Prototype(String returnType, String parameters, boolean variadic, Path definedIn) {
    this(returnType, parameters, variadic, definedIn, Optional.empty());
  }

  public Prototype withShape(CallShape compiled) {
    return new Prototype(returnType, parameters, compiled.variadic(), definedIn, Optional.of(compiled));
  }

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
