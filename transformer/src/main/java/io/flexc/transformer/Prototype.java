package io.flexc.transformer;

/**
 * A callee's prototype as its definition spells it, for gate stubs that must match it exactly:
 * return type, parameter list, and whether it is variadic.
 */
public record Prototype(String returnType, String parameters, boolean variadic) {

  public String declaration(String name) {
    return returnType + (returnType.endsWith("*") ? "" : " ") + name + "(" + parameters + ")";
  }
}
