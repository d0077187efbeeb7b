package io.flexc.transformer.source;

/**
 * A function defined in a C file: its name, where its top-level item starts (where a declaration
 * can go before it), its parameter list and body as indexes into {@link CFile#code()}, and its
 * prototype as written (comments and preprocessor lines dropped, blanks collapsed).
 */
public record FunctionDefinition(
    String name,
    CToken nameToken,
    int itemStart,
    int parametersOpen,
    int parametersClose,
    int bodyOpen,
    int bodyClose,
    boolean isStatic,
    String returnType,
    String parameters,
    boolean variadic) {

  /** The prototype as a declaration: {@code int f(int a, char *b)}. */
  public String prototype() {
    return returnType + (returnType.endsWith("*") ? "" : " ") + name + "(" + parameters + ")";
  }
}
