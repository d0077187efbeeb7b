package io.flexc.transformer;

import io.flexc.model.ApiFunction;
import io.flexc.model.Application;
import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.LibraryMetadata;
import io.flexc.model.Located;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import io.flexc.transformer.types.CType;
import io.flexc.transformer.types.CompiledFunction;
import io.flexc.transformer.types.SystemVClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the prototypes the metadata's [API] entries give against what the compiler saw where the
 * library defines the function: the number of parameters, whether it is variadic, and how its
 * result comes back (void, integer registers, vector registers, x87, memory). The text is read
 * as far as the ABI cares: export macros, attributes and qualifiers are skipped, and a result
 * named by a typedef or tag is compared by that name (it cannot be classified without its
 * definition). Each mismatch is an error at the [API] entry.
 */
final class CheckApiPrototypes {

  private static final Set<String> SKIPPED = Set.of("static", "extern", "inline", "__inline", "__inline__",
      "const", "volatile", "restrict", "__restrict", "__restrict__", "_Noreturn", "register", "__extension__");
  private static final Set<String> INTEGER_WORDS = Set.of("char", "short", "int", "long", "signed", "unsigned",
      "_Bool", "bool", "__int128");

  private final Application application;
  private final Ownership ownership;
  private final CompiledPrototypes compiled;
  private final Compilation compilation;

  CheckApiPrototypes(Application application, Ownership ownership, CompiledPrototypes compiled,
      Compilation compilation) {
    this.application = application;
    this.ownership = ownership;
    this.compiled = compiled;
    this.compilation = compilation;
  }

  /** The files defining an [API] function that has a prototype: what {@link #check} needs compiled. */
  static Set<Path> files(Application application, Ownership ownership) {
    Set<Path> files = new LinkedHashSet<>();
    application.libraries().forEach((library, metadata) -> {
      for (ApiFunction function : metadata.value().api()) {
        if (function.prototype().isPresent() && library.equals(ownership.functionOwners().get(function.symbol()))
            && ownership.dataFiles().containsKey(function.symbol())) {
          files.add(ownership.dataFiles().get(function.symbol()));
        }
      }
    });
    return files;
  }

  List<Diagnostic> check() {
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (Map.Entry<String, Located<LibraryMetadata>> entry : application.libraries().entrySet()) {
      for (ApiFunction function : entry.getValue().value().api()) {
        Optional<CompiledPrototypes.Defined> defined = compiled.of(function.symbol());
        if (function.prototype().isEmpty() || defined.isEmpty()
            || !entry.getKey().equals(ownership.functionOwners().get(function.symbol()))) {
          continue;
        }
        String text = function.prototype().get();
        CompiledFunction actual = defined.get().function();
        String differences = differences(text, function.symbol(), actual);
        if (!differences.isEmpty()) {
          diagnostics.add(Diagnostic.of(DiagnosticKind.API_PROTOTYPE_MISMATCH,
              entry.getValue().source().item("API", function.symbol()), function.symbol(), text,
              actual.declaration(), "defined in " + compilation.relative(defined.get().file()), differences));
        }
      }
    }
    return diagnostics;
  }

  /** What differs between the [API] text and the compiler's function, as the ABI sees it; empty if nothing. */
  static String differences(String text, String symbol, CompiledFunction actual) {
    List<CToken> tokens = CLexer.tokenize(text).stream().filter(t -> !t.isLayout()).toList();
    int name = -1;
    for (int i = 0; i + 1 < tokens.size() && name < 0; i++) {
      if (tokens.get(i).is(symbol) && tokens.get(i + 1).is("(")) {
        name = i;
      }
    }
    if (name < 0) {
      return "the [API] text does not declare " + symbol + " as a function";
    }
    List<List<CToken>> parameters = new ArrayList<>();
    List<CToken> current = new ArrayList<>();
    int depth = 0;
    for (int i = name + 2; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      if (depth == 0 && token.is(")")) {
        break;
      }
      if (depth == 0 && token.is(",")) {
        parameters.add(current);
        current = new ArrayList<>();
        continue;
      }
      depth += token.is("(") || token.is("[") ? 1 : token.is(")") || token.is("]") ? -1 : 0;
      current.add(token);
    }
    parameters.add(current);
    boolean variadic = false;
    int count = 0;
    for (List<CToken> parameter : parameters) {
      if (parameter.size() == 1 && parameter.get(0).is("...")) {
        variadic = true;
      } else if (!parameter.isEmpty() && !(parameter.size() == 1 && parameter.get(0).is("void"))) {
        count++;
      }
    }
    List<String> differences = new ArrayList<>();
    int compiledCount = actual.type().parameters().size();
    if (count != compiledCount) {
      differences.add(count + " parameter" + (count == 1 ? "" : "s") + " in the [API], " + compiledCount
          + " in the compiler's");
    }
    if (variadic != actual.type().variadic()) {
      differences.add(variadic ? "variadic in the [API], not in the compiler's" : "variadic in the compiler's, not in the [API]");
    }
    Optional<String> declared = declaredResult(tokens.subList(0, name), actual.type().result());
    String compiledResult = SystemVClassifier.resultClass(actual.type().result());
    if (declared.isPresent() && !declared.get().equals(compiledResult)) {
      differences.add("the result is " + declared.get() + " in the [API], " + compiledResult + " in the compiler's");
    }
    return String.join("; ", differences);
  }

  /**
   * How the text's result comes back, when the text says so without a typedef or tag the
   * compiler's result does not share; empty when it cannot be told from the text alone.
   */
  private static Optional<String> declaredResult(List<CToken> prefix, CType compiledResult) {
    List<String> words = new ArrayList<>();
    boolean pointer = false;
    for (int i = 0; i < prefix.size(); i++) {
      CToken token = prefix.get(i);
      if (token.is("__attribute__") || token.is("__declspec")) {
        int depth = 0;
        do {
          i++;
          depth += prefix.get(i).is("(") ? 1 : prefix.get(i).is(")") ? -1 : 0;
        } while (i + 1 < prefix.size() && depth > 0);
      } else if (token.is("*")) {
        pointer = true;
      } else if (token.kind() == CToken.Kind.IDENTIFIER && !SKIPPED.contains(token.text())) {
        words.add(token.text());
      }
    }
    if (pointer) {
      return Optional.of("INTEGER");
    }
    if (words.contains("double") || words.contains("float")) {
      return words.contains("_Complex") ? Optional.empty()
          : Optional.of(words.contains("long") && words.contains("double") ? "X87" : "SSE");
    }
    if (words.contains("void")) {
      return Optional.of("void");
    }
    if (!words.isEmpty() && words.stream().allMatch(INTEGER_WORDS::contains)) {
      return Optional.of("INTEGER");
    }
    Set<String> names = names(compiledResult);
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      boolean tag = (word.equals("struct") || word.equals("union") || word.equals("enum")) && i + 1 < words.size();
      if (names.contains(tag ? word + " " + words.get(i + 1) : word)) {
        return Optional.of(SystemVClassifier.resultClass(compiledResult));
      }
      // An integer keyword among unknown words (an export macro, say) still says "integer".
      if (INTEGER_WORDS.contains(word) && !tag) {
        return Optional.of("INTEGER");
      }
    }
    return Optional.empty();
  }

  /** Every name the compiler's type goes by: its typedefs, then its tag or base name. */
  private static Set<String> names(CType type) {
    Set<String> names = new LinkedHashSet<>();
    CType at = type;
    while (true) {
      switch (at) {
        case CType.Typedef typedef -> {
          names.add(typedef.name());
          at = typedef.target();
        }
        case CType.Qualified qualified -> at = qualified.target();
        case CType.Record record -> {
          names.add(record.spelling());
          return names;
        }
        case CType.Enum e -> {
          names.add("enum " + e.name());
          return names;
        }
        case CType.Base base -> {
          names.add(base.name());
          return names;
        }
        default -> {
          return names;
        }
      }
    }
  }
}
