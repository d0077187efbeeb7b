package io.flexc.backends;

import io.flexc.model.Gate;
import io.flexc.model.Prototype;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a C gate stub needs from its callee's prototype: the stub's own declaration, the names it
 * forwards, whether it returns a value, and the preprocessor lines at the top of the file that
 * defines the callee (its {@code #include}s make the prototype's types known).
 */
record StubSignature(
    Prototype prototype, String returnType, List<String> parameterNames, List<String> parameterDeclarations) {

  static StubSignature of(Gate gate, String backend) throws IOException {
    Optional<String> refusal = refusal(gate, backend);
    if (refusal.isPresent()) {
      throw new IOException(refusal.get());
    }
    Prototype prototype = gate.prototype().orElseThrow();
    return new StubSignature(prototype, prototype.plainReturnType(), parameterNames(prototype.parameters()),
        parameterDeclarations(prototype.parameters()));
  }

  /**
   * Why a C stub cannot forward {@code gate}, if it cannot: every reason is decided from the gate's
   * prototype alone, so that a build can ask before it rewrites anything ({@link GateStubRefusals}).
   */
  static Optional<String> refusal(Gate gate, String backend) {
    if (gate.prototype().isEmpty()) {
      return Optional.of(backend + ": gate " + gate.name() + " needs the prototype of " + gate.function()
          + ", whose definition the sources do not show");
    }
    Prototype prototype = gate.prototype().get();
    if (prototype.variadic()) {
      return Optional.of(backend + ": gate " + gate.name() + " would have to forward the variable"
          + " arguments of " + prototype.declaration(gate.function()) + ", which C cannot do; keep its"
          + " callers in " + gate.calleeLibrary() + "'s compartment, or use the fcall backend");
    }
    return Optional.empty();
  }

  boolean returnsValue() {
    return !returnType.equals("void");
  }

  String declaration(String name) {
    return variable(name) + "(" + prototype.parameters() + ")";
  }

  /** {@code flexc_result} declared with the return type: where a stub keeps the result. */
  String resultVariable() {
    return variable("flexc_result");
  }

  private String variable(String name) {
    return returnType + (returnType.endsWith("*") ? "" : " ") + name;
  }

  String call() {
    return String.join(", ", parameterNames);
  }

  /** Each parameter's declaration as written ({@code const char *name}); none for {@code void}. */
  static List<String> parameterDeclarations(String parameters) {
    List<String> declarations = new ArrayList<>();
    for (List<CToken> parameter : split(parameters)) {
      if (!parameter.isEmpty() && !(parameter.size() == 1 && parameter.get(0).is("void"))) {
        int start = parameter.get(0).offset();
        declarations.add(parameters.substring(start, parameter.get(parameter.size() - 1).end()));
      }
    }
    return declarations;
  }

  /** The parameter list's tokens, one list per parameter (commas inside parentheses kept). */
  private static List<List<CToken>> split(String parameters) {
    List<List<CToken>> split = new ArrayList<>();
    List<CToken> current = new ArrayList<>();
    int depth = 0;
    for (CToken token : CLexer.tokenize(parameters)) {
      if (token.is("(") || token.is("[")) {
        depth++;
      } else if (token.is(")") || token.is("]")) {
        depth--;
      } else if (token.is(",") && depth == 0) {
        split.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(token);
    }
    split.add(current);
    return split;
  }

  /**
   * The parameters' names: in {@code int (*callback)(int)} the name inside the first parentheses,
   * otherwise the last name before any {@code [...]}; {@code void} alone has none.
   */
  static List<String> parameterNames(String parameters) {
    List<String> names = new ArrayList<>();
    for (List<CToken> parameter : split(parameters)) {
      if (parameter.isEmpty() || (parameter.size() == 1 && parameter.get(0).is("void"))) {
        continue;
      }
      String name = null;
      for (int i = 0; i + 2 < parameter.size(); i++) {
        if (parameter.get(i).is("(") && parameter.get(i + 1).is("*")
            && parameter.get(i + 2).kind() == CToken.Kind.IDENTIFIER) {
          name = parameter.get(i + 2).text();
          break;
        }
      }
      if (name == null) {
        int depthHere = 0;
        for (CToken token : parameter) {
          if (token.is("[")) {
            depthHere++;
          } else if (token.is("]")) {
            depthHere--;
          } else if (depthHere == 0 && token.kind() == CToken.Kind.IDENTIFIER) {
            name = token.text();
          }
        }
      }
      names.add(name);
    }
    return names;
  }

  /** The preprocessor lines before the first line of code of the callee's file, verbatim. */
  String preamble() throws IOException {
    String text = Files.readString(prototype.definedIn(), StandardCharsets.ISO_8859_1);
    StringBuilder preamble = new StringBuilder();
    int open = 0;
    for (CToken token : CLexer.tokenize(text)) {
      if (token.kind() == CToken.Kind.DIRECTIVE) {
        preamble.append(token.text()).append('\n');
        String word = token.text().substring(1).strip();
        open += word.startsWith("if") ? 1 : word.startsWith("endif") ? -1 : 0;
      } else if (token.kind() != CToken.Kind.COMMENT) {
        break;
      }
    }
    // The code may start inside an #if (lwip: #if LWIP_TCP after the includes): close it here.
    preamble.append("#endif\n".repeat(Math.max(0, open)));
    return preamble.toString();
  }
}
