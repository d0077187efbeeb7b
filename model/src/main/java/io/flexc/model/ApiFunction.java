package io.flexc.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An entry point a library exports in its {@code [API]} section, with its C prototype when the
 * metadata gives one (gate generation prefers it to guessing from headers).
 */
public record ApiFunction(String symbol, Optional<String> prototype) {

  public ApiFunction {
    Names.requireIdentifier(symbol, "symbol");
    Objects.requireNonNull(prototype, "prototype");
    prototype.ifPresent(text -> Names.requireQuotable(text, "prototype"));
  }

  public static ApiFunction of(String symbol) {
    return new ApiFunction(symbol, Optional.empty());
  }
}
