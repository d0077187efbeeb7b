package io.flexc.transformer;

import io.flexc.model.AddressSite;
import io.flexc.transformer.source.CFile;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.source.MacroDefinition;
import io.flexc.transformer.source.Reference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells how the source takes a function's address where the object shows it taken: which use of
 * the name in the referring function (or at file scope, for data) it is, and whether that use is
 * returned, passed to a function or passed to a function-like macro. Read from the tokens around
 * the use, so only as good as the source shows it: a name the preprocessor made has no use here.
 */
final class AddressUses {

  private static final Set<String> NOT_CALLEES = Set.of("if", "while", "for", "switch", "return", "sizeof",
      "_Alignof", "__alignof__", "__typeof__", "typeof", "__builtin_expect");

  private final CFile file;
  private final Map<String, MacroDefinition> macros;

  AddressUses(CFile file, Map<String, MacroDefinition> macros) {
    this.file = file;
    this.macros = macros;
  }

  /**
   * The first use of {@code name} as a value (not a call) in {@code function}, or at file scope
   * when {@code function} is empty.
   */
  Optional<Reference> firstUse(String name, Optional<String> function) {
    return file.references().stream()
        .filter(r -> r.name().equals(name) && r.use() == Reference.Use.ADDRESS && r.function().equals(function))
        .findFirst();
  }

  /** The use at {@code line}:{@code column}, where the rewrite put a gate in its place. */
  Optional<Reference> useAt(int line, int column) {
    return file.references().stream()
        .filter(r -> file.code().get(r.token()).line() == line && file.code().get(r.token()).column() == column)
        .findFirst();
  }

  int line(Reference use) {
    return file.code().get(use.token()).line();
  }

  /** How code takes the address at {@code use}. */
  AddressSite.Kind kindInCode(Reference use) {
    List<CToken> code = file.code();
    int at = use.token();
    if (at > 0 && code.get(at - 1).is("return")) {
      return AddressSite.Kind.RETURN_VALUE;
    }
    if (at > 2 && code.get(at - 1).is("=") && code.get(at - 2).kind() == CToken.Kind.IDENTIFIER
        && (code.get(at - 3).is(".") || code.get(at - 3).is("->"))) {
      return AddressSite.Kind.STRUCT_FIELD;
    }
    int depth = 0;
    for (int i = at - 1; i >= 0; i--) {
      CToken token = code.get(i);
      if (token.is(")") || token.is("]") || token.is("}")) {
        depth++;
      } else if (depth > 0 && (token.is("(") || token.is("[") || token.is("{"))) {
        depth--;
      } else if (token.is(";") || token.is("{") || token.is("}") || token.is("[")) {
        return AddressSite.Kind.CODE;
      } else if (token.is("(") && i > 0) {
        CToken before = code.get(i - 1);
        if (before.kind() != CToken.Kind.IDENTIFIER || NOT_CALLEES.contains(before.text())) {
          continue;
        }
        MacroDefinition macro = macros.get(before.text());
        return macro != null && macro.isFunctionLike() ? AddressSite.Kind.MACRO_ARGUMENT
            : AddressSite.Kind.CALL_ARGUMENT;
      }
    }
    return AddressSite.Kind.CODE;
  }
}
