package io.flexc.transformer.source;

/**
 * One token of unpreprocessed C: its kind, its exact text, and where it starts (character offset,
 * 1-based line and column) so that edits can be tied back to the original file.
 */
public record CToken(Kind kind, String text, int offset, int line, int column) {

  /** What the lexer saw; preprocessor lines and comments are tokens too, kept verbatim. */
  public enum Kind {
    IDENTIFIER,
    NUMBER,
    STRING,
    CHARACTER,
    PUNCTUATOR,
    COMMENT,
    /** A whole preprocessor line, continuations and comments included. */
    DIRECTIVE
  }

  public int end() {
    return offset + text.length();
  }

  public boolean is(String punctuatorOrWord) {
    return text.equals(punctuatorOrWord) && (kind == Kind.PUNCTUATOR || kind == Kind.IDENTIFIER);
  }

  /** Comments and preprocessor lines: invisible to the C grammar the scanner follows. */
  public boolean isLayout() {
    return kind == Kind.COMMENT || kind == Kind.DIRECTIVE;
  }
}
