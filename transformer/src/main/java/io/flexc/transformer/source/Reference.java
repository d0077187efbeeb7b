package io.flexc.transformer.source;

import java.util.Optional;

/**
 * A use of a name in code: a call {@code f(...)} or any other use that takes its value or address
 * ({@code cb = f}, {@code register(f)}, {@code { .op = f }}). {@code token} indexes {@link
 * CFile#code()}; {@code itemStart} is the offset of the enclosing top-level item, before which a
 * file-scope declaration can be inserted; {@code function} is the enclosing function, if any.
 */
public record Reference(String name, int token, Use use, int itemStart, Optional<String> function) {

  public enum Use {
    CALL,
    ADDRESS
  }
}
