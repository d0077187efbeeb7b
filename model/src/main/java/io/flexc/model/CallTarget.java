package io.flexc.model;

import java.util.Objects;

/**
 * A function a library declares it calls: {@code library::symbol}, or every exported function of a
 * library when the symbol is {@code *}.
 */
public record CallTarget(String library, String symbol) {

  public static final String ANY_SYMBOL = "*";

  public CallTarget {
    Names.requireIdentifier(library, "library");
    Objects.requireNonNull(symbol, "symbol");
    if (!symbol.equals(ANY_SYMBOL)) {
      Names.requireIdentifier(symbol, "symbol");
    }
  }

  public boolean isWildcard() {
    return symbol.equals(ANY_SYMBOL);
  }

  /** The notation of the metadata language, {@code library::symbol}. */
  @Override
  public String toString() {
    return library + "::" + symbol;
  }
}
