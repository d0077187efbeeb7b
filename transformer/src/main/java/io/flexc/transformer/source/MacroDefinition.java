package io.flexc.transformer.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A macro as the preprocessor reports it ({@code gcc -E -dM}): its parameters when it is
 * function-like ({@code __VA_ARGS__} standing for the rest when variadic) and its body.
 */
public record MacroDefinition(String name, Optional<List<String>> parameters, boolean variadic, String body) {

  private static final Pattern DEFINE =
      Pattern.compile("#define ([A-Za-z_][A-Za-z0-9_]*)(\\(([^)]*)\\))? ?(.*)");

  /** The macros of {@code gcc -dM} output, by name. */
  public static Map<String, MacroDefinition> parseAll(String dump) {
    Map<String, MacroDefinition> macros = new LinkedHashMap<>();
    dump.lines().forEach(line -> {
      Matcher matcher = DEFINE.matcher(line);
      if (!matcher.matches()) {
        return;
      }
      Optional<List<String>> parameters = Optional.empty();
      boolean variadic = false;
      if (matcher.group(2) != null) {
        List<String> names = new ArrayList<>();
        for (String parameter : matcher.group(3).split(",")) {
          String name = parameter.strip();
          if (name.equals("...")) {
            variadic = true;
          } else if (!name.isEmpty()) {
            names.add(name);
          }
        }
        parameters = Optional.of(List.copyOf(names));
      }
      macros.put(matcher.group(1), new MacroDefinition(matcher.group(1), parameters, variadic, matcher.group(4)));
    });
    return macros;
  }

  public boolean isFunctionLike() {
    return parameters.isPresent();
  }

  /**
   * The body with the arguments substituted, as the preprocessor would before rescanning; empty
   * when the body stringizes or pastes ({@code #}, {@code ##}), which text substitution cannot do.
   */
  public Optional<String> expand(List<String> arguments) {
    List<String> names = parameters.orElse(List.of());
    if (arguments.size() < names.size() || (!variadic && arguments.size() > names.size())) {
      return Optional.empty();
    }
    List<CToken> tokens = CLexer.tokenize(body);
    StringBuilder expansion = new StringBuilder();
    int copied = 0;
    for (CToken token : tokens) {
      if (token.kind() == CToken.Kind.DIRECTIVE || token.is("#") || token.is("##")) {
        return Optional.empty();
      }
      String replacement = null;
      int index = names.indexOf(token.text());
      if (token.kind() == CToken.Kind.IDENTIFIER && index >= 0) {
        replacement = arguments.get(index).strip();
      } else if (variadic && token.is("__VA_ARGS__")) {
        replacement = String.join(", ", arguments.subList(names.size(), arguments.size())).strip();
      }
      if (replacement != null) {
        expansion.append(body, copied, token.offset()).append(replacement);
        copied = token.end();
      }
    }
    expansion.append(body.substring(copied));
    return Optional.of(expansion.toString());
  }
}
