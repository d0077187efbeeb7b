package io.flexc.transformer.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A function as the compiler described it: its name, whether it is external (else {@code
 * static}), its type, and its parameters' names (null where a parameter has none).
 */
public record CompiledFunction(String name, boolean external, CType.Function type, List<String> parameterNames) {

  public CompiledFunction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    parameterNames = Collections.unmodifiableList(new ArrayList<>(parameterNames));
  }

  /**
   * The result type as spelled before a name ({@code const char *}); a pointer to a function or
   * array, whose name would go inside its spelling, as {@code __typeof__(int (*)(int))}.
   */
  public String resultSpelling() {
    String spelled = TypeSpelling.of(type.result());
    return spelled.contains("(") || spelled.contains("[") ? "__typeof__(" + spelled + ")" : spelled;
  }

  /**
   * The parameter list as spelled, each parameter named ({@code flexc_argN} where the definition
   * gave none); a definition without a prototype (K&R) has its parameters spelled after the default
   * promotions, which is what its callers pass.
   */
  public String parametersSpelling() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parameterNames.size(); i++) {
      names.add(parameterNames.get(i) != null ? parameterNames.get(i) : "flexc_arg" + i);
    }
    return TypeSpelling.parameters(type.prototyped() ? type : promoted(type), names);
  }

  /** {@code result name(parameters)}. */
  public String declaration() {
    return TypeSpelling.declaration(type.result(), name + "(" + parametersSpelling() + ")");
  }

  /** Whether every type in the prototype has a name C can spell (no anonymous structure or enum). */
  public boolean spellable() {
    return !declaration().contains("{...}");
  }

  private static CType.Function promoted(CType.Function function) {
    List<CType> parameters = function.parameters().stream().map(CompiledFunction::promoted).toList();
    return new CType.Function(function.result(), parameters, function.variadic(), false);
  }

  private static CType promoted(CType type) {
    if (type.resolved() instanceof CType.Base base && !base.isComplex()) {
      if (base.isFloat() && base.size() == 4) {
        return new CType.Base("double", 8, CType.Base.FLOAT);
      }
      if (!base.isFloat() && base.size() < 4) {
        return new CType.Base("int", 4, 0x5);
      }
    }
    return type;
  }
}
