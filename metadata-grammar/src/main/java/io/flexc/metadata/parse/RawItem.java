package io.flexc.metadata.parse;

import io.flexc.model.SourcePosition;
import java.util.List;

/**
 * One item of a section body, classified by shape only. {@link #text()} is the item exactly as
 * written, for messages.
 */
public sealed interface RawItem {

  String text();

  SourcePosition position();

  /** A bare word: {@code RA}, {@code scheduler}, {@code SYMB}. */
  record Word(String text, SourcePosition position) implements RawItem {}

  /** {@code library::symbol} or {@code library::*}; a side left out is the empty string. */
  record Scoped(String library, String symbol, String text, SourcePosition position)
      implements RawItem {}

  /** A word followed by a star, as in FlexOS's {@code X*}. */
  record Starred(String word, String text, SourcePosition position) implements RawItem {}

  /** {@code (a, b, ...)}. */
  record Tuple(List<RawItem> elements, String text, SourcePosition position) implements RawItem {
    public Tuple {
      elements = List.copyOf(elements);
    }
  }

  /** A double-quoted string; {@code value} is its content without the quotes. */
  record Quoted(String value, String text, SourcePosition position) implements RawItem {}

  /** A decimal number. */
  record Number(String text, SourcePosition position) implements RawItem {}

  /** A compiler flag such as {@code -fsanitize=address}. */
  record Flag(String text, SourcePosition position) implements RawItem {}

  /** A rewrite rule {@code from -> to}, as in mechanism effects. */
  record Rule(RawItem from, RawItem to, String text, SourcePosition position) implements RawItem {}
}
