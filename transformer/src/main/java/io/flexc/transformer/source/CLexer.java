package io.flexc.transformer.source;

import io.flexc.transformer.source.CToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits unpreprocessed C into tokens. Never fails: an unterminated string or comment runs to the
 * end of its line or file, and an unknown character becomes a one-character punctuator, because the
 * scanner must survive whatever real code (and the preprocessor's tricks) throws at it.
 */
public final class CLexer {

  private static final String[] LONG_PUNCTUATORS = {
    "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
    "%=", "+=", "-=", "&=", "^=", "|=", "##"
  };

  private final String text;
  private int position;
  private int line = 1;
  private int lineStart;
  private boolean lineHasToken;

  private CLexer(String text) {
    this.text = text;
  }

  public static List<CToken> tokenize(String text) {
    return new CLexer(text).run();
  }

  private List<CToken> run() {
    List<CToken> tokens = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (position >= text.length()) {
        return tokens;
      }
      int start = position;
      int startLine = line;
      int column = start - lineStart + 1;
      Kind kind = next();
      tokens.add(new CToken(kind, text.substring(start, position), start, startLine, column));
      lineHasToken = kind != Kind.DIRECTIVE;
    }
  }

  private void skipWhitespace() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\n') {
        newLine(position + 1);
      } else if (c == '\\' && position + 1 < text.length() && text.charAt(position + 1) == '\n') {
        position++;
        newLine(position + 1);
        continue;
      } else if (!Character.isWhitespace(c)) {
        return;
      }
      position++;
    }
  }

  private void newLine(int nextLineStart) {
    line++;
    lineStart = nextLineStart;
    lineHasToken = false;
  }

  private Kind next() {
    char c = text.charAt(position);
    if (c == '#' && !lineHasToken) {
      directive();
      return Kind.DIRECTIVE;
    }
    if (c == '/' && peek(1) == '*') {
      blockComment();
      return Kind.COMMENT;
    }
    if (c == '/' && peek(1) == '/') {
      lineComment();
      return Kind.COMMENT;
    }
    if (Character.isLetter(c) || c == '_' || c == '$') {
      int start = position;
      while (position < text.length() && isIdentifierPart(text.charAt(position))) {
        position++;
      }
      char after = peek(0);
      if ((after == '"' || after == '\'') && isEncodingPrefix(text.substring(start, position))) {
        return quoted(after);
      }
      return Kind.IDENTIFIER;
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
      number();
      return Kind.NUMBER;
    }
    if (c == '"' || c == '\'') {
      return quoted(c);
    }
    for (String punctuator : LONG_PUNCTUATORS) {
      if (text.startsWith(punctuator, position)) {
        position += punctuator.length();
        return Kind.PUNCTUATOR;
      }
    }
    position++;
    return Kind.PUNCTUATOR;
  }

  private static boolean isEncodingPrefix(String word) {
    return word.equals("L") || word.equals("u") || word.equals("U") || word.equals("u8");
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private char peek(int ahead) {
    int at = position + ahead;
    return at < text.length() ? text.charAt(at) : '\0';
  }

  /** A preprocessor line runs to the first newline that is neither escaped nor in a comment. */
  private void directive() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\n') {
        return;
      }
      if (c == '\\' && peek(1) == '\n') {
        position += 2;
        newLine(position);
      } else if (c == '/' && peek(1) == '*') {
        blockComment();
      } else if (c == '/' && peek(1) == '/') {
        lineComment();
      } else if (c == '"' || c == '\'') {
        quoted(c);
      } else {
        position++;
      }
    }
  }

  private void blockComment() {
    int end = text.indexOf("*/", position + 2);
    int stop = end < 0 ? text.length() : end + 2;
    for (int i = position; i < stop; i++) {
      if (text.charAt(i) == '\n') {
        newLine(i + 1);
      }
    }
    position = stop;
  }

  private void lineComment() {
    while (position < text.length() && text.charAt(position) != '\n') {
      if (text.charAt(position) == '\\' && peek(1) == '\n') {
        position++;
        newLine(position + 1);
      }
      position++;
    }
  }

  private Kind quoted(char quote) {
    position++;
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\\' && position + 1 < text.length()) {
        if (text.charAt(position + 1) == '\n') {
          newLine(position + 2);
        }
        position += 2;
        continue;
      }
      if (c == '\n') {
        break;
      }
      position++;
      if (c == quote) {
        break;
      }
    }
    return quote == '"' ? Kind.STRING : Kind.CHARACTER;
  }

  private void number() {
    while (position < text.length()) {
      char c = text.charAt(position);
      boolean exponentSign =
          (c == '+' || c == '-') && "eEpP".indexOf(text.charAt(position - 1)) >= 0;
      if (!(isIdentifierPart(c) || c == '.' || exponentSign)) {
        return;
      }
      position++;
    }
  }
}
