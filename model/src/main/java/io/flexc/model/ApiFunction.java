package io.flexc.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An entry point a library exports in its {@code [API]} section, with its C prototype when the
 * metadata gives one (gate generation prefers it to guessing from headers), and what a call
 * should answer when the library's compartment has crashed ({@code (on-crash, N)}: the error
 * value its callers already check, such as {@code lua_pcall}'s 2), on the backends that let
 * calls fail rather than end the program.
 */
public record ApiFunction(String symbol, Optional<String> prototype, OptionalLong resultOnCrash) {

  public ApiFunction {
    Names.requireIdentifier(symbol, "symbol");
    Objects.requireNonNull(prototype, "prototype");
    Objects.requireNonNull(resultOnCrash, "resultOnCrash");
    prototype.ifPresent(text -> Names.requireQuotable(text, "prototype"));
  }

  public ApiFunction(String symbol, Optional<String> prototype) {
    this(symbol, prototype, OptionalLong.empty());
  }

  public static ApiFunction of(String symbol) {
    return new ApiFunction(symbol, Optional.empty());
  }
}
