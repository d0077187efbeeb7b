package io.flexc.transformer.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Spells a {@link CType} as a C declaration, the way a person would write it: {@code const char
 * *name}, {@code int (*callback)(int, void *)}, {@code char *const argv[]}. Typedef names are kept,
 * so the spelling reads like the source after its macros were expanded.
 */
public final class TypeSpelling {

  private TypeSpelling() {}

  /** {@code type} alone, as in a cast or an abstract parameter. */
  public static String of(CType type) {
    return declaration(type, "");
  }

  /** A declaration of {@code declarator} (a name, or empty) with {@code type}. */
  public static String declaration(CType type, String declarator) {
    return switch (type) {
      case CType.Void v -> join("void", declarator);
      case CType.Base base -> join(base.name(), declarator);
      case CType.Named named -> join(named.spelling(), declarator);
      case CType.Record record -> join(record.spelling(), declarator);
      case CType.Enum e -> join("enum " + (e.name().isEmpty() ? "{...}" : e.name()), declarator);
      case CType.Typedef typedef -> join(typedef.name(), declarator);
      case CType.Qualified qualified -> qualified.target() instanceof CType.Pointer
          ? declaration(qualified.target(), qualified.qualifier() + (declarator.isEmpty() ? "" : " " + declarator))
          : qualified.qualifier() + " " + declaration(qualified.target(), declarator);
      case CType.Pointer pointer -> {
        String inner = "*" + declarator;
        CType target = pointer.target();
        yield declaration(target, target instanceof CType.Array || target instanceof CType.Function
            ? "(" + inner + ")" : inner);
      }
      case CType.Array array -> declaration(array.element(),
          declarator + "[" + (array.count() < 0 ? "" : String.valueOf(array.count())) + "]");
      case CType.Function function -> declaration(function.result(),
          declarator + "(" + parameters(function, List.of()) + ")");
    };
  }

  /**
   * A function's parameter list: each parameter with its name when {@code names} has one, then
   * {@code ...} when variadic; {@code void} when there is none (for a function with a prototype).
   */
  public static String parameters(CType.Function function, List<String> names) {
    List<String> spelled = new ArrayList<>();
    for (int i = 0; i < function.parameters().size(); i++) {
      String name = i < names.size() && names.get(i) != null ? names.get(i) : "";
      spelled.add(declaration(function.parameters().get(i), name));
    }
    if (function.variadic()) {
      spelled.add("...");
    }
    return spelled.isEmpty() && function.prototyped() ? "void" : String.join(", ", spelled);
  }

  private static String join(String type, String declarator) {
    if (declarator.isEmpty()) {
      return type;
    }
    return type + " " + declarator;
  }
}
